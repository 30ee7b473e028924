using MgAuth.Worker;

// mgauth-worker: one job from standard input, its answer on standard output, then exit.
// Started by PackWorker with a time limit, a heap limit, an address-space limit and no secrets.
return WorkerProgram.Run(Console.OpenStandardInput(), Console.OpenStandardOutput());
