return Mig.MigCommandLine.Run(args);
