using System;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Throttling;

/// <summary>
/// Everything that paces one operation's requests, behind one object: the requests allowed in flight
/// (<see cref="AdaptiveConcurrencyLimiter"/>, lowered on 429s), the pause of the whole operation during a burst of refusals
/// and the bound on its throttled time (<see cref="ThrottleGate"/>), and the retries of failures the operation may still
/// make (<see cref="RetryBudget"/>). The transport asks it before each attempt and tells it how each one went.
/// </summary>
public sealed class OperationThrottle
{
    /// <summary>Creates the throttle of an operation that allows up to <paramref name="maxConcurrency"/> requests at once.</summary>
    /// <param name="maxConcurrency">The most requests in flight at once.</param>
    /// <param name="retryBudget">The retries the whole operation may make; a default budget when null.</param>
    public OperationThrottle(int maxConcurrency, RetryBudget? retryBudget = null)
    {
        Limiter = new AdaptiveConcurrencyLimiter(maxConcurrency);
        RetryBudget = retryBudget ?? new RetryBudget();
    }

    /// <summary>The requests in flight, adapted to throttling.</summary>
    public AdaptiveConcurrencyLimiter Limiter { get; }

    /// <summary>Bursts of refusals pause the operation, and its throttled time is bounded.</summary>
    public ThrottleGate Gate { get; } = new();

    /// <summary>The retries of failures left to the operation.</summary>
    public RetryBudget RetryBudget { get; }

    /// <summary>The requests allowed in flight now.</summary>
    public int Limit => Limiter.Limit;

    /// <summary>
    /// Waits for a slot, then for any pause of the operation to end: nothing is sent during a pause, not even by a request
    /// that got its slot while the pause began. Dispose the lease once the attempt is answered. When what is left of the
    /// operation's throttled time <paramref name="budget"/> cannot cover the rest of a pause (see
    /// <see cref="ThrottleGate.TryEnter"/>), there is no lease, and the shortfall says why: the request is not sent.
    /// </summary>
    internal async Task<(AdaptiveConcurrencyLimiter.Lease? Lease, ThrottleShortfall? Shortfall)> EnterAsync(
        TimeProvider clock, TimeSpan budget, CancellationToken cancellationToken)
    {
        var lease = await Limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A pause may be made longer while the request waits for it: it is asked again until there is none.
            while (true)
            {
                if (!Gate.TryEnter(clock.GetUtcNow(), budget, out var wait, out var shortfall))
                {
                    lease.Dispose();
                    return (null, shortfall);
                }

                if (wait <= TimeSpan.Zero)
                {
                    return (lease, null);
                }

                // In whole milliseconds, rounded up: a delay counts whole milliseconds only, and one of less than a
                // millisecond, ended at once, would ask again at the same instant for ever.
                var milliseconds = (wait.Ticks + TimeSpan.TicksPerMillisecond - 1) / TimeSpan.TicksPerMillisecond;
                await clock.Delay(TimeSpan.FromTicks(milliseconds * TimeSpan.TicksPerMillisecond), cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An attempt was answered other than 429 (<paramref name="success"/>: accepted). True the first time after an
    /// announced pause: the pause is over, and what the refusals taught the limiter is forgotten.
    /// </summary>
    internal bool Answered(DateTimeOffset now, bool success)
    {
        if (!Gate.Answered(now, success))
        {
            return false;
        }

        Limiter.Resumed();
        return true;
    }
}
