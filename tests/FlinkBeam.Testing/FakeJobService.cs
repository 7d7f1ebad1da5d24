using System.Collections.Concurrent;
using System.Globalization;
using FlinkBeam.Cluster.Beam;
using FlinkBeam.Cluster.Beam.Protocol;
using FlinkBeam.Cluster.Pipelines;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;

namespace FlinkBeam.Testing;

/// <summary>
/// The Job API service behind <see cref="FakeBeamJobServer"/>, on the server base class Grpc.Tools generates from the
/// project's proto in this assembly (the product has only the client).
/// </summary>
internal sealed class FakeJobService : JobService.JobServiceBase
{
    private readonly Lock _gate = new();
    private readonly List<(string Id, string Name, BeamJobState State)> _jobs = [];
    private readonly List<string> _cancelled = [];
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeGrpcFailure>> _failures = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeGrpcCall> _calls = new();

    public IReadOnlyList<BeamJobInfo> Jobs
    {
        get
        {
            lock (_gate)
            {
                return _jobs.Select(j => new BeamJobInfo(j.Id, j.Name, j.State)).ToList();
            }
        }
    }

    public IReadOnlyList<string> CancelledJobIds
    {
        get
        {
            lock (_gate)
            {
                return _cancelled.ToList();
            }
        }
    }

    public IReadOnlyList<FakeGrpcCall> Calls => _calls.ToArray();

    public void AddJob(string jobId, string jobName, BeamJobState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentNullException.ThrowIfNull(jobName);
        lock (_gate)
        {
            _jobs.RemoveAll(j => j.Id == jobId);
            _jobs.Add((jobId, jobName, state));
        }
    }

    public void SetJobState(string jobId, BeamJobState state)
    {
        lock (_gate)
        {
            var index = _jobs.FindIndex(j => j.Id == jobId);
            if (index < 0)
            {
                throw new ArgumentException($"The fake job server has no job '{jobId}'.", nameof(jobId));
            }

            _jobs[index] = _jobs[index] with { State = state };
        }
    }

    public void FailNext(string method, FakeGrpcFailure failure)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(failure);
        _failures.GetOrAdd(method, _ => new ConcurrentQueue<FakeGrpcFailure>()).Enqueue(failure);
    }

    public override async Task<GetJobsResponse> GetJobs(GetJobsRequest request, ServerCallContext context)
    {
        await ArriveAsync(nameof(GetJobs), context).ConfigureAwait(false);
        var response = new GetJobsResponse();
        lock (_gate)
        {
            response.JobInfo.Add(_jobs.Select(j => new JobInfo
            {
                JobId = j.Id,
                JobName = j.Name,
                State = (JobState.Types.Enum)(int)j.State,
                PipelineOptions = new Struct { Fields = { ["beam:option:job_name:v1"] = Value.ForString(j.Name) } },
            }));
        }

        return response;
    }

    public override async Task<JobStateEvent> GetState(GetJobStateRequest request, ServerCallContext context)
    {
        await ArriveAsync(nameof(GetState), context).ConfigureAwait(false);
        lock (_gate)
        {
            var index = IndexOf(request.JobId);
            return new JobStateEvent { State = (JobState.Types.Enum)(int)_jobs[index].State, Timestamp = Timestamp.FromDateTime(DateTime.UtcNow) };
        }
    }

    public override async Task<CancelJobResponse> Cancel(CancelJobRequest request, ServerCallContext context)
    {
        await ArriveAsync(nameof(Cancel), context).ConfigureAwait(false);
        lock (_gate)
        {
            var index = IndexOf(request.JobId);
            _cancelled.Add(request.JobId);
            if (!BeamJobStates.IsTerminal(_jobs[index].State))
            {
                _jobs[index] = _jobs[index] with { State = BeamJobState.Cancelled };
            }

            return new CancelJobResponse { State = (JobState.Types.Enum)(int)_jobs[index].State };
        }
    }

    // Records the call, then plays the failure queued for the method, if any.
    private async Task ArriveAsync(string method, ServerCallContext context)
    {
        var http = context.GetHttpContext().Request;
        _calls.Enqueue(new FakeGrpcCall(method, http.Protocol, http.ContentType, http.Headers.TE.FirstOrDefault(), http.Headers["grpc-timeout"].FirstOrDefault()));
        if (!_failures.TryGetValue(method, out var queue) || !queue.TryDequeue(out var failure))
        {
            return;
        }

        switch (failure.Kind)
        {
            case FakeGrpcFailureKind.Status:
                await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
                throw new RpcException(new Status((StatusCode)failure.Code, failure.Message ?? string.Empty));
            case FakeGrpcFailureKind.TrailersOnly:
                throw new RpcException(new Status((StatusCode)failure.Code, failure.Message ?? string.Empty));
            case FakeGrpcFailureKind.Delay:
                await Task.Delay(failure.Duration, context.CancellationToken).ConfigureAwait(false);
                return;
            default:
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Unknown failure kind {failure.Kind}."));
        }
    }

    private int IndexOf(string jobId)
    {
        var index = _jobs.FindIndex(j => j.Id == jobId);
        return index >= 0 ? index : throw new RpcException(new Status(StatusCode.NotFound, $"Job {jobId} not found"));
    }
}
