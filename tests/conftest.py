import matplotlib

# Tests draw off screen whatever backend the environment asks for.
matplotlib.use("Agg")
