// Each test runs its own host on its own port over its own file; the meter tests filter by the
// host's own meter factory, so tests could run in parallel, but the machine has two cores.
[assembly: DoNotParallelize]
