using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage;

/// <summary>
/// The one fan-out of every cmdlet about each of several customers: up to -ThrottleLimit customers fetched at once,
/// their rows written in the order they were given as each is done, one customer's failure a non-terminating error
/// about that customer (unless it dooms the run), progress that completes, and cancellation by Ctrl+C or a downstream
/// command that has enough. Where the customers come from is the derived cmdlet's: the pipeline and -CustomerId
/// (<see cref="PerCustomerCmdlet"/>), or what the cmdlet read first.
/// </summary>
/// <remarks>
/// Not generic on purpose: a public cmdlet deriving from CustomerFanOutCmdlet&lt;CustomerLicenseUsage&gt; would name an
/// engine type in its base type, and Import-Module, which reads the exported types before the module's initializer
/// can make the engine loadable, would have to load the engine then (and fail outside a process that has it on its
/// load path). Engine types appear only in members, which load when a command runs.
/// </remarks>
public abstract class CustomerFanOutCmdlet : PartnerCenterCmdlet
{
    /// <summary>
    /// Requests in flight unless -ThrottleLimit says otherwise. Measured (docs/performance.md): at 50 ms latency 8
    /// gives about 8 times a plain loop; more would be faster still, but Partner Center's throttling limits are shared
    /// by every tool of the partner, and 8 at real latencies stays inside what a partner can expect to be allowed.
    /// </summary>
    public const int DefaultThrottleLimit = 8;

    private const int ProgressActivityId = 0x5043;
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);
    private readonly Queue<(Guid CustomerId, Task<Outcome> Work)> _pending = new();
    private readonly Stopwatch _sinceProgress = new();
    private PartnerConnection _connection = null!;
    private PartnerCenterOperation _operation = null!;
    private int _window;
    private int _done;
    private int? _total;

    /// <summary>The most requests in flight at once (1 to 64); lowered automatically while Partner Center throttles.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = DefaultThrottleLimit;

    /// <summary>What is fetched of each customer, for progress and errors: "license usage".</summary>
    protected abstract string Subject { get; }

    /// <inheritdoc/>
    protected override bool HasThrottleLimit => true;

    /// <inheritdoc/>
    protected override IEnumerable<Task> PendingWork => _pending.Select(p => (Task)p.Work);

    /// <summary>
    /// The rows of one customer, all of them or an exception; called on any thread, concurrently. <paramref name="companyName"/>
    /// is the name the input gave the customer, if any.
    /// </summary>
    /// <exception cref="PartnerCenterException">The request failed or the answer is unusable.</exception>
    internal abstract Task<IReadOnlyList<object>> FetchAsync(
        PartnerConnection connection, Guid customerId, string? companyName, PartnerCenterOperation operation, CancellationToken cancellationToken);

    /// <inheritdoc/>
    protected override void BeginProcessing()
    {
        _connection = RequireConnection();
        _operation = NewOperation(ThrottleLimit);

        // Customers fetched ahead while an earlier one is still awaited, so one slow customer (a Retry-After, a
        // backoff) does not stall the others; their rows wait to be written in input order. One means a plain loop:
        // each customer is written before the next input is read.
        _window = ThrottleLimit == 1 ? 1 : Math.Max(ThrottleLimit * 4, 256);
    }

    /// <summary>
    /// Refuses -InputCustomerName typed on the command line (call before BeginProcessing's own work: before any input is
    /// bound, BoundParameters holds only what was typed). It comes from the objects piped in, each naming its customer.
    /// </summary>
    protected void RefuseTypedInputCustomerName(string parameterName, string? typed)
    {
        // Before any input is bound, BoundParameters holds what was typed.
        if (MyInvocation.BoundParameters.ContainsKey(parameterName))
        {
            ThrowTerminatingError(ErrorRecords.InvalidParameters(
                "-InputCustomerName (-CompanyName, -CustomerName) comes only from the objects piped in: their CompanyName or CustomerName names " +
                "each one's customer on its rows. Pipe the customers in (Get-PCCustomer -CompanyName ... | " + MyInvocation.MyCommand.Name +
                "), or give -CustomerId alone.",
                typed));
        }
    }

    /// <summary>
    /// What was being done when <paramref name="error"/>, a customer's failure, is in fact the failure of something every
    /// customer of the run needs (read once for all of them): then it ends the run with one error. Null (the default)
    /// when it is about that customer alone.
    /// </summary>
    protected virtual string? FailsTheRun(PartnerCenterException error) => null;

    /// <summary>The connection of this run (after BeginProcessing).</summary>
    internal PartnerConnection Connection => _connection;

    /// <summary>The operation this run's requests belong to (after BeginProcessing).</summary>
    internal PartnerCenterOperation Operation => _operation;

    /// <summary>The number of customers to expect, when it is known (for progress).</summary>
    protected void ExpectCustomers(int count) => _total = count;

    /// <summary>
    /// Starts fetching the customers of one input, with the name the input gave them: a name belongs to its input's one
    /// customer, so several ids given at once share none. False when the pipeline is stopping.
    /// </summary>
    protected bool EnqueueInput(Guid[] customerIds, string? inputCustomerName)
    {
        var companyName = customerIds.Length == 1 && !string.IsNullOrEmpty(inputCustomerName) ? inputCustomerName : null;
        return customerIds.All(customerId => Enqueue(customerId, companyName));
    }

    /// <summary>
    /// Starts fetching one customer (<paramref name="companyName"/> is the name its input gave it, if any), writing the
    /// customers before it that are done. False when the pipeline is stopping.
    /// </summary>
    protected bool Enqueue(Guid customerId, string? companyName)
    {
        _pending.Enqueue((customerId, FetchOneAsync(customerId, companyName)));
        return WriteFinished(keepPending: _window - 1);
    }

    /// <inheritdoc/>
    protected override void EndProcessing()
    {
        if (WriteFinished(keepPending: 0))
        {
            ReportProgress(force: true);
            WriteProgress(new ProgressRecord(ProgressActivityId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        }
    }

    private string Activity => "Getting " + Subject;

    private async Task<Outcome> FetchOneAsync(Guid customerId, string? companyName)
    {
        try
        {
            return new Outcome(await FetchAsync(_connection, customerId, companyName, _operation, CancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !CancellationToken.IsCancellationRequested)
        {
            // Whatever goes wrong with one customer is that customer's error: the run goes on.
            return new Outcome(null, ex);
        }
    }

    /// <summary>
    /// Writes the customers at the head of the queue that are done, in input order, waiting for the head while more
    /// than <paramref name="keepPending"/> are queued. False when the pipeline is stopping.
    /// </summary>
    private bool WriteFinished(int keepPending)
    {
        Messages.Drain(this);
        while (_pending.Count > 0 && (_pending.Peek().Work.IsCompleted || _pending.Count > keepPending))
        {
            var (customerId, work) = _pending.Peek();
            Outcome outcome;
            try
            {
                outcome = Await(work);
            }
            catch (OperationCanceledException) when (Stopping || CancellationToken.IsCancellationRequested)
            {
                return false;
            }

            _pending.Dequeue();
            if (outcome.Error is PartnerCenterException run && FailsTheRun(run) is { } activity)
            {
                // What every customer needs failed: one error for the run, not the same one for each customer.
                ThrowTerminatingError(ErrorRecords.FromEngine(run, null, activity, HasThrottleLimit));
            }
            else if (outcome.Error is PartnerCenterException error)
            {
                WriteEngineError(error, customerId, $"Getting the {Subject} of customer {customerId}");
            }
            else if (outcome.Error is { } unexpected)
            {
                WriteError(ErrorRecords.Unexpected(unexpected, customerId, $"Getting the {Subject} of customer {customerId}"));
            }
            else
            {
                WriteObject(outcome.Rows, enumerateCollection: true);
            }

            _done++;
            ReportProgress(force: false);
        }

        return true;
    }

    private void ReportProgress(bool force)
    {
        if (!force && _sinceProgress.IsRunning && _sinceProgress.Elapsed < ProgressInterval)
        {
            return;
        }

        _sinceProgress.Restart();
        var status = _total is { } total
            ? string.Format(CultureInfo.CurrentCulture, "{0} of {1} customers", _done, total)
            : string.Format(CultureInfo.CurrentCulture, "{0} customers", _done);
        var limit = _operation.Throttle.Limit;
        WriteProgress(new ProgressRecord(ProgressActivityId, Activity, status)
        {
            PercentComplete = _total is { } all && all > 0 ? Math.Min(100, _done * 100 / all) : -1,
            CurrentOperation = limit < ThrottleLimit
                ? string.Format(CultureInfo.CurrentCulture, "Throttled by Partner Center: {0} of {1} requests in flight", limit, ThrottleLimit)
                : null,
        });
    }

    private sealed class Outcome(IReadOnlyList<object>? rows, Exception? error)
    {
        public IReadOnlyList<object>? Rows { get; } = rows;

        public Exception? Error { get; } = error;
    }
}
