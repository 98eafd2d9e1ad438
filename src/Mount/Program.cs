using StashMount.Mount.Cli;

return await StashMountCommand.RunAsync(args).ConfigureAwait(false);
