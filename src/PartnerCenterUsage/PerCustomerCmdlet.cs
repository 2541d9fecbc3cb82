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
/// The one fan-out of every cmdlet about each of several customers: -CustomerId bound from the pipeline by value and
/// by property name (CustomerId, Id), up to -ThrottleLimit customers fetched at once, their rows written in input
/// order as each is done, one customer's failure a non-terminating error about that customer (unless it dooms the
/// run), progress that completes, and cancellation by Ctrl+C or a downstream command that has enough. A cmdlet is
/// then its own parameters, one engine call per customer and its output type.
/// </summary>
/// <remarks>
/// Not generic on purpose: a public cmdlet deriving from PerCustomerCmdlet&lt;CustomerLicenseUsage&gt; would name an
/// engine type in its base type, and Import-Module, which reads the exported types before the module's initializer
/// can make the engine loadable, would have to load the engine then (and fail outside a process that has it on its
/// load path). Engine types appear only in members, which load when a command runs.
/// </remarks>
public abstract class PerCustomerCmdlet : PartnerCenterCmdlet
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

    /// <summary>The customer ids (GUIDs). Binds from the pipeline, and from a CustomerId or Id property.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(CustomerIdCompleter))]
    public Guid[] CustomerId { get; set; } = Array.Empty<Guid>();

    /// <summary>
    /// The name of the customer piped in, bound from the input's CompanyName (a customer of Get-PCCustomer) or
    /// CustomerName (a row) property and put on the rows whose answer names no customer, so that a row's name comes with
    /// its input and never from what the session saw before. Pipeline input only: typed on the command line it would
    /// name every customer alike (and -CustomerName reads as the filter of Get-PCLicenseUsage), so it is refused there.
    /// Not hidden: PowerShell leaves the common parameters out of Tab completion for a command with a hidden parameter.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("CompanyName", "CustomerName")]
    public string? InputCustomerName { get; set; }

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
        // Before any input is bound, BoundParameters holds what was typed.
        if (MyInvocation.BoundParameters.ContainsKey(nameof(InputCustomerName)))
        {
            ThrowTerminatingError(ErrorRecords.InvalidParameters(
                "-InputCustomerName (-CompanyName, -CustomerName) comes only from the objects piped in: their CompanyName or CustomerName names " +
                "each one's customer on its rows. Pipe the customers in (Get-PCCustomer -CompanyName ... | " + MyInvocation.MyCommand.Name +
                "), or give -CustomerId alone.",
                InputCustomerName));
        }

        _connection = RequireConnection();
        _operation = NewOperation(ThrottleLimit);

        // Customers fetched ahead while an earlier one is still awaited, so one slow customer (a Retry-After, a
        // backoff) does not stall the others; their rows wait to be written in input order. One means a plain loop:
        // each customer is written before the next input is read.
        _window = ThrottleLimit == 1 ? 1 : Math.Max(ThrottleLimit * 4, 256);
        if (!MyInvocation.ExpectingInput)
        {
            _total = CustomerId.Length;
        }
    }

    /// <inheritdoc/>
    protected override void ProcessRecord()
    {
        // A name belongs to its input's one customer; several ids given at once share no name.
        var companyName = CustomerId.Length == 1 && !string.IsNullOrEmpty(InputCustomerName) ? InputCustomerName : null;
        foreach (var customerId in CustomerId)
        {
            _pending.Enqueue((customerId, FetchOneAsync(customerId, companyName)));
            if (!WriteFinished(keepPending: _window - 1))
            {
                return;
            }
        }
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
        catch (Exception ex) when (ex is not OperationCanceledException)
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
            if (outcome.Error is PartnerCenterException error)
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
