"""Analysis methods that the modules teach, one submodule per topic."""
