using FlinkBeam.Submitter.Cli;

return await SubmitterCommandLine.InvokeAsync(args);
