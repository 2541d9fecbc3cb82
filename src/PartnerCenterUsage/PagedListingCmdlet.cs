using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading.Tasks;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Http;

namespace PartnerCenterUsage;

/// <summary>
/// What the cmdlets that write a paged listing as a report share: each page's rows are written as soon as it is read
/// while the next page is already being fetched (one page ahead at most, so memory stays flat), with a progress bar of
/// the rows read; a failure after some pages is an error written after the rows already written, so a report is never
/// silently short, and the listing stops at once when the pipeline does.
/// </summary>
public abstract class PagedListingCmdlet : PartnerCenterCmdlet
{
    private const int ProgressActivityId = 0x5044;
    private Task? _prefetch;
    private long _written;

    /// <inheritdoc/>
    protected override IEnumerable<Task> PendingWork => _prefetch is null ? Array.Empty<Task>() : new[] { _prefetch };

    /// <summary>
    /// Writes every row of <paramref name="pager"/>, then completes the progress bar; a failure is reported as
    /// <see cref="StreamPages"/> reports it.
    /// </summary>
    private protected void WriteListing(IPartnerCenterPager pager, string subject)
    {
        if (StreamPages(pager, subject, target: null, row =>
        {
            WriteObject(row);
            return true;
        }))
        {
            CompleteProgress(subject);
        }
    }

    /// <summary>
    /// Streams the pages of a listing. A failure is an error written after the rows already written (terminating only
    /// when it dooms the run). False when the pipeline is stopping.
    /// </summary>
    /// <param name="pager">The listing.</param>
    /// <param name="subject">What the rows are, for the progress bar and the error: "license usage".</param>
    /// <param name="target">What an error is about: the filter sent, or null.</param>
    /// <param name="write">Takes each row and says whether it wrote it (a row may be left out, or kept to be written later).</param>
    private protected bool StreamPages(IPartnerCenterPager pager, string subject, object? target, Func<object, bool> write)
    {
        try
        {
            var next = pager.NextRowsAsync(CancellationToken);
            _prefetch = next;
            while (Await(next) is { } page)
            {
                // Counted before the next page is asked for: that page is read on another thread, and progress counts
                // the pages this command has received, the same whichever thread is faster.
                var read = pager.RowsRead;
                var totalCount = pager.TotalCount;

                // The next page is fetched while this one goes down the pipeline.
                next = pager.NextRowsAsync(CancellationToken);
                _prefetch = next;
                foreach (var row in page)
                {
                    if (write(row))
                    {
                        _written++;
                    }
                }

                var status = totalCount is { } total
                    ? string.Format(CultureInfo.CurrentCulture, "{0:N0} of {1:N0} rows read, {2:N0} written", read, total, _written)
                    : string.Format(CultureInfo.CurrentCulture, "{0:N0} rows read, {1:N0} written", read, _written);
                WriteProgress(new ProgressRecord(ProgressActivityId, "Getting " + subject, status)
                {
                    PercentComplete = totalCount is { } all && all > 0 ? (int)Math.Min(100, read * 100 / all) : -1,
                });
            }

            return true;
        }
        catch (PartnerCenterException ex)
        {
            // The rows already written stay written; the error says the report is incomplete.
            WriteEngineError(ex, target, string.Format(
                CultureInfo.InvariantCulture, "Getting {0} ({1:N0} rows read{2})", subject, pager.RowsRead,
                pager.RowsRead > 0 ? ", the report is incomplete" : string.Empty));
            return true;
        }
        catch (OperationCanceledException) when (Stopping || CancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Ends the progress bar of the listings of <paramref name="subject"/>.</summary>
    private protected void CompleteProgress(string subject) =>
        WriteProgress(new ProgressRecord(ProgressActivityId, "Getting " + subject, "Done") { RecordType = ProgressRecordType.Completed });
}
