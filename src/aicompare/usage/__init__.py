"""Real usage: reading usage logs (readers), aggregating and repricing them (reprice).

The records every reader yields and the engine reads are in `rows`. No typer or rich here.
"""
