using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine.Diagnostics;

namespace PartnerCenterUsage;

/// <summary>
/// Carries the engine's diagnostics, written on any thread, to the pipeline thread: only that thread may write
/// to PowerShell's streams. The cmdlet waits on engine work through <see cref="Pump{T}"/>, which writes messages
/// as they arrive instead of after the work ends.
/// </summary>
internal sealed class PipelineMessages : IPartnerCenterLog
{
    /// <summary>The progress activity of waits (throttling), apart from the command's own progress.</summary>
    public const int WaitingActivityId = 0x5046;

    private readonly ConcurrentQueue<(PartnerCenterLogLevel Level, string Text)> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly ConcurrentQueue<System.Action<Cmdlet>> _work = new();

    /// <summary>
    /// Queues <paramref name="work"/> (posted from any thread) to run on the pipeline thread the next time messages are
    /// drained, and wakes a waiting <see cref="Pump{T}"/>: the one way that work reaching PowerShell (a vault's
    /// Set-Secret, a user's script block) runs on the thread allowed to run it.
    /// </summary>
    public void Post(System.Action<Cmdlet> work)
    {
        _work.Enqueue(work);
        _signal.Release();
    }

    public void Write(PartnerCenterLogLevel level, string message)
    {
        _queue.Enqueue((level, message));
        _signal.Release();
    }

    /// <summary>On the pipeline thread: writes messages until <paramref name="task"/> ends, then returns its result.</summary>
    public T Pump<T>(Task<T> task, Cmdlet cmdlet)
    {
        task.ContinueWith(static (_, signal) => ((SemaphoreSlim)signal!).Release(), _signal, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        while (!task.IsCompleted)
        {
            _signal.Wait();
            Drain(cmdlet);
        }

        Drain(cmdlet);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>On the pipeline thread: writes what is queued.</summary>
    public void Drain(Cmdlet cmdlet)
    {
        while (_queue.TryDequeue(out var message))
        {
            switch (message.Level)
            {
                case PartnerCenterLogLevel.Prompt:
                    // Shown on the host at once, like Write-Host, and kept in the Information stream.
                    cmdlet.WriteInformation(new HostInformationMessage { Message = message.Text }, new[] { "PSHOST" });
                    break;
                case PartnerCenterLogLevel.Warning:
                    cmdlet.WriteWarning(message.Text);
                    break;
                case PartnerCenterLogLevel.Debug:
                    cmdlet.WriteDebug(message.Text);
                    break;
                case PartnerCenterLogLevel.Waiting:
                    // A progress bar of its own while the operation waits (throttling), and in the verbose stream for logs.
                    cmdlet.WriteProgress(new ProgressRecord(WaitingActivityId, "Waiting for Partner Center", message.Text.Length > 0 ? message.Text : "Done")
                    {
                        RecordType = message.Text.Length > 0 ? ProgressRecordType.Processing : ProgressRecordType.Completed,
                    });
                    if (message.Text.Length > 0)
                    {
                        cmdlet.WriteVerbose(message.Text);
                    }

                    break;
                default:
                    cmdlet.WriteVerbose(message.Text);
                    break;
            }
        }

        while (_work.TryDequeue(out var work))
        {
            work(cmdlet);
        }
    }
}
