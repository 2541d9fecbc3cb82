using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Throttling;

/// <summary>
/// The throttling of one operation. A single refusal (429) is the refused request's own business: it waits and is sent
/// again while the others go on, as pausing everyone for every 429 throws away what the service still allows (a steady
/// rate limit ran 8 times slower that way). Refusals in a burst, as many as requests in flight within one wait and no
/// request accepted among them, mean the window of the partner's allowance is spent: then the whole operation stops
/// sending until the wait has passed. A success between refusals means the service still takes requests (a rate limit
/// at its edge, which the adaptive limit handles): it ends the burst. The
/// time the operation spends throttled (the union of every wait) is bounded: past that, a refusal is final.
/// </summary>
public sealed class ThrottleGate
{
    private static readonly TimeSpan MinimumWindow = TimeSpan.FromSeconds(1);
    private readonly object _lock = new();
    private readonly Queue<DateTimeOffset> _refusals = new();
    private DateTimeOffset _pausedUntil;
    private DateTimeOffset _throttledUntil;
    private bool _pauseAnnounced;
    private DateTimeOffset _saidUntil;

    /// <summary>The wall time the operation has spent throttled so far (waits that overlap count once).</summary>
    public TimeSpan Spent { get; private set; }

    /// <summary>Refusals so far.</summary>
    public int Refusals { get; private set; }

    /// <summary>Until when every request of the operation waits, if the operation is paused.</summary>
    public DateTimeOffset? PausedUntil
    {
        get
        {
            lock (_lock)
            {
                return _pausedUntil == default ? null : _pausedUntil;
            }
        }
    }

    /// <summary>
    /// Registers a refusal at <paramref name="now"/> after which the request will wait <paramref name="wait"/>, or what
    /// is left of the operation's throttled time <paramref name="budget"/> if that is less. False when nothing is left:
    /// the refusal is final.
    /// With <paramref name="inFlight"/> or more refusals (at least 2) within one wait, the whole operation pauses.
    /// </summary>
    /// <returns>True to wait and send again; <paramref name="waitUntil"/> is when.</returns>
    internal bool TryWait(DateTimeOffset now, TimeSpan wait, int inFlight, TimeSpan budget, out DateTimeOffset waitUntil, out bool pauseStarted)
    {
        lock (_lock)
        {
            pauseStarted = false;
            var end = now + wait;
            var from = _throttledUntil > now ? _throttledUntil : now;
            var added = end > from ? end - from : TimeSpan.Zero;
            if (Spent + added > budget)
            {
                // The last wait the budget allows: until the throttled time already counted ends, and what is left of
                // the budget after it; then one more try. Nothing to wait within the budget: final.
                var left = budget > Spent ? budget - Spent : TimeSpan.Zero;
                if (from + left <= now)
                {
                    waitUntil = now;
                    return false;
                }

                end = from + left;
                added = left;
            }

            Spent += added;
            Refusals++;
            if (end > _throttledUntil)
            {
                _throttledUntil = end;
            }

            var window = wait > MinimumWindow ? wait : MinimumWindow;
            _refusals.Enqueue(now);
            while (_refusals.Count > 0 && _refusals.Peek() < now - window)
            {
                _refusals.Dequeue();
            }

            if (_refusals.Count >= Math.Max(2, inFlight) && end > _pausedUntil)
            {
                pauseStarted = _pausedUntil <= now;
                _pauseAnnounced |= pauseStarted;
                _pausedUntil = end;
            }

            waitUntil = _pausedUntil > end ? _pausedUntil : end;
            return true;
        }
    }

    /// <summary>Waits while the operation is paused.</summary>
    internal async Task WaitAsync(TimeProvider clock, CancellationToken cancellationToken)
    {
        var wait = PausedUntil is { } until ? until - clock.GetUtcNow() : TimeSpan.Zero;
        if (wait > TimeSpan.Zero)
        {
            await clock.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// True when a long wait until <paramref name="until"/> should be said: not while an earlier long wait that was
    /// said is still going on, so a storm is said once, not once per refused request.
    /// </summary>
    internal bool ShouldSayLongWait(DateTimeOffset now, DateTimeOffset until)
    {
        lock (_lock)
        {
            if (now < _saidUntil)
            {
                return false;
            }

            _saidUntil = until;
            return true;
        }
    }

    /// <summary>
    /// A request was answered other than 429 (<paramref name="success"/>: accepted, which ends a burst of refusals): true
    /// the first time after an announced pause, to say that it is over.
    /// </summary>
    internal bool Answered(DateTimeOffset now, bool success)
    {
        lock (_lock)
        {
            if (success)
            {
                // Under a steady rate limit a few refusals come close together between successes; counting them as a
                // burst paused the whole run for a second each time (a 100 req/s run took 1.16-1.51 times its bound).
                _refusals.Clear();
            }

            if (_pauseAnnounced && _pausedUntil <= now)
            {
                _pauseAnnounced = false;
                return true;
            }

            return false;
        }
    }
}
