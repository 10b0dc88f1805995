"""Train a small GAN with a method of the registry and count the modes it learned (needs PyTorch).

Run: ``python examples/train_small_gan.py`` (from the shell:
``gametheory gan --data gaussians4 --method eg --seeds 2 --iters 300 --scale small``).
"""
import importlib.util
import sys

if importlib.util.find_spec("torch") is None:
    sys.exit("this example needs PyTorch: pip install -e '.[torch]'")

from gametheory.neural.experiments import run_gan  # noqa: E402

if __name__ == "__main__":  # the local executor starts worker processes
    for method in ("gda", "eg"):
        r = run_gan(data="gaussians4", method=method, seeds=2, iters=300, scale="small", workers=1, progress=False)
        s = r["summary"]
        print(f"{method}: modes per run {[run['modes'] for run in r['runs']]}, mean KL {s['mean_kl']}")
