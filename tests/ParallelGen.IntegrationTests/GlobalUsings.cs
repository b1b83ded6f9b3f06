global using ParallelGen.Testing;
