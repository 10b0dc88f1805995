"""Analyse your own game: derive a method's update map and decide its stability exactly.

Run: ``python examples/analyse_my_game.py`` (the same from the shell:
``gametheory analyze "x**2*y - y**2" gd eta=1/10``).
"""
import sympy as sp

import gametheory as gt

# a game from text (parsed safely, no eval) or from a SymPy expression: the same game
game = gt.games.from_expression("x**2*y - y**2")
x, y = sp.symbols("x y")
assert gt.games.from_expression(x**2 * y - y**2).v == game.v

gd = gt.methods.get("gd")
d = gt.derive(game, gd)                       # symbolic in eta: the augmented Jacobian and its polynomial
print("Jacobian of the update at (0, 0):", d.jacobian.tolist())
print("characteristic polynomial:", d.charpoly)

rep = gt.stability_report(game, gd, eta="1/10")   # exact: "1/10" is one tenth
print(f"eta = 1/10: radius {rep.radius}, linear verdict {rep.linear_verdict!r}, verdict {rep.verdict!r}")
print("  why:", rep.note)

# a general-sum game with two variables per player, extragradient, exact radius
g2 = gt.games.from_expression(L_x="x1**2/2 + x1*y1 + x2*y2", L_y="y1**2/2 - x1*y1 - x2*y2",
                              x="x1 x2", y="y1 y2")
print("extragradient at eta = 1/4:", gt.spectral_radius(g2, gt.methods.get("eg"), eta="1/4"),
      gt.stability(g2, gt.methods.get("eg"), eta="1/4"))
