using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage;

/// <summary>
/// What every Partner Center cmdlet needs once: the runspace's connection, a cancellation token that Ctrl+C and
/// a stopped pipeline cancel, and a way to wait for engine work while its diagnostics reach the pipeline thread.
/// </summary>
public abstract class PartnerCenterCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly object _cancellationLock = new();
    private bool _disposed;
    private PartnerConnection? _connection;
    private IDisposable? _connectionLease;

    /// <summary>Cancelled when the pipeline stops (Ctrl+C, Select-Object -First, a stopped PowerShell).</summary>
    protected CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>The same token, for the helpers of the cmdlets (the token cache's choice).</summary>
    internal CancellationToken InvocationCancellationToken => _cancellation.Token;

    /// <summary>The engine's diagnostics, bound for this cmdlet's Verbose/Debug/Warning streams.</summary>
    internal PipelineMessages Messages { get; } = new();

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Ends the invocation's work: cancels what is still running (a downstream Select-Object -First, a terminating
    /// error or a stopped pipeline end a command without StopProcessing), waits up to a second for it to finish, and
    /// releases the cancellation source. EndProcessing is not guaranteed to run, Dispose is.
    /// </summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        lock (_cancellationLock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _cancellation.Cancel();
        }

        var pending = PendingWork.Where(t => !t.IsCompleted).ToArray();
        if (pending.Length > 0)
        {
            try
            {
                Task.WaitAll(pending, TimeSpan.FromSeconds(1));
            }
            catch (AggregateException)
            {
                // Cancelled work ends in cancellation; nothing is left to report.
            }
        }

        _cancellation.Dispose();

        // The connection this command ran on is let go last: a Disconnect- or Connect-PCPartner during the command
        // released it from the session, and it closes now.
        _connectionLease?.Dispose();
    }

    /// <summary>True for a command with -ThrottleLimit, which advice about throttling may then name.</summary>
    protected virtual bool HasThrottleLimit => false;

    /// <summary>Work this invocation started that may still be running.</summary>
    protected virtual IEnumerable<Task> PendingWork => Array.Empty<Task>();

    /// <inheritdoc/>
    protected override void StopProcessing()
    {
        lock (_cancellationLock)
        {
            if (!_disposed)
            {
                _cancellation.Cancel();
            }
        }
    }

    /// <summary>
    /// The connection this command runs on: the runspace's when first asked, then that one until the command ends,
    /// held so that a Disconnect- or Connect-PCPartner meanwhile (in a script block of the same pipeline) neither
    /// closes it under the command's requests nor switches them to another sign-in halfway. A terminating NotConnected
    /// error when there is none.
    /// </summary>
    internal PartnerConnection RequireConnection()
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var connection = SessionConnections.Current;
        if (connection is null)
        {
            ThrowTerminatingError(ErrorRecords.NotConnected());
        }

        _connectionLease = connection!.Lease();
        _connection = connection;
        RefreshTokenWriteBack.Of(connection)?.Attach(Messages);
        return connection;
    }

    /// <summary>A new operation (one MS-CorrelationId, one retry budget) whose diagnostics go to this cmdlet's streams.</summary>
    internal PartnerCenterOperation NewOperation(int maxConcurrency = 1) => new(Guid.NewGuid(), Messages, maxConcurrency);

    /// <summary>
    /// Reports an engine failure about <paramref name="target"/>: a non-terminating error, so the pipeline goes on
    /// with the next input, unless the failure dooms the whole run (<see cref="ErrorRecords.IsTerminating"/>).
    /// </summary>
    internal void WriteEngineError(PartnerCenterException exception, object? target, string activity)
    {
        var record = ErrorRecords.FromEngine(exception, target, activity, HasThrottleLimit);
        if (ErrorRecords.IsTerminating(exception))
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    /// <summary>Signs a replaced or removed connection out (its MSAL cache cleared) on the pipeline thread.</summary>
    internal void SignOut(PartnerConnection? connection)
    {
        if (connection is null)
        {
            return;
        }

        try
        {
            Await(connection.SignOutAsync(CancellationToken));
        }
        catch (OperationCanceledException) when (Stopping)
        {
            connection.Dispose();
        }
    }

    /// <summary>Waits for engine work on the pipeline thread, writing its diagnostics as they come.</summary>
    internal T Await<T>(Task<T> task) => Messages.Pump(task, this);

    /// <summary>Waits for engine work that returns nothing, as <see cref="Await{T}"/>.</summary>
    internal void Await(Task task) => Messages.Pump(Completed(task), this);

    private static async Task<bool> Completed(Task task)
    {
        await task.ConfigureAwait(false);
        return true;
    }

}
