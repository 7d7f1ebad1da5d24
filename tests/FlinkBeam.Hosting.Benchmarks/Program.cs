using FlinkBeam.Hosting.Benchmarks;

// Warm `dotnet run --project AppHost` against the loopback fakes: until the dashboard answers, and until the Submitter
// is alive. Talks only to 127.0.0.1/localhost, stops by itself, exits non-zero only when something broke.
return await AppHostStartup.RunAsync(Console.Out);
