using FlinkBeam.Hosting.Benchmarks;

// The pipeline rows against the loopback fakes: a run's state change reaching its row under the real orchestrator; then
// warm `dotnet run --project AppHost` until the dashboard answers, the Submitter is alive and an AutoRun pipeline's row
// shows Succeeded. Talks only to 127.0.0.1/localhost, stops by itself, exits non-zero only when something broke.
var latency = await PipelineRowLatency.RunAsync(Console.Out);
var startup = await AppHostStartup.RunAsync(Console.Out);
return latency != 0 ? latency : startup;
