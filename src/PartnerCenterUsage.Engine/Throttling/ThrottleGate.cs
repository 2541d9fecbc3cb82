using System;
using System.Collections.Generic;

namespace PartnerCenterUsage.Engine.Throttling;

/// <summary>
/// The throttling of one operation. A single refusal (429) is the refused request's own business: it waits and is sent
/// again while the others go on, as pausing everyone for every 429 throws away what the service still allows (a steady
/// rate limit ran 8 times slower that way). Refusals in a burst, as many as requests in flight within one wait and no
/// request accepted among them, mean the window of the partner's allowance is spent: then the whole operation stops
/// sending until the wait has passed. A success between refusals means the service still takes requests (a rate limit
/// at its edge, which the adaptive limit handles): it ends the burst.
/// <para>
/// The time the operation spends throttled (the union of every wait) is its budget. A wait is taken only when what is
/// left of the budget covers it whole: a request is never sent again before the time the service asked for. A refusal
/// whose wait the budget cannot cover is final at once and spends nothing. When it is part of a burst, the service
/// refuses every request until that time all the same: the operation stays closed until then, and a request that would
/// be sent before then is given up without being sent, unless what is left of the budget covers the rest of that
/// pause (then it waits for it, and the budget is charged for it once).
/// </para>
/// </summary>
public sealed class ThrottleGate
{
    private static readonly TimeSpan MinimumWindow = TimeSpan.FromSeconds(1);
    private readonly object _lock = new();
    private readonly Queue<DateTimeOffset> _refusals = new();
    // Until when every request of the operation waits. Beyond _throttledUntil the budget was not charged for it: a
    // burst whose wait the budget could not cover closed the operation without anyone waiting.
    private DateTimeOffset _pausedUntil;
    // The end of the throttled time counted in Spent so far.
    private DateTimeOffset _throttledUntil;
    private bool _pauseAnnounced;
    private DateTimeOffset _saidUntil;

    /// <summary>The wall time the operation has spent throttled so far (waits that overlap count once).</summary>
    public TimeSpan Spent { get; private set; }

    /// <summary>Refusals so far, final ones included.</summary>
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
    /// Registers a refusal at <paramref name="now"/> after which the request asks to wait <paramref name="wait"/>, and
    /// any pause of the operation that ends later. True to wait until <paramref name="waitUntil"/> and send again, when
    /// what is left of the operation's throttled time <paramref name="budget"/> covers the part of that wait no earlier
    /// wait counted; false when it does not: the refusal is final, nothing is spent, and <paramref name="shortfall"/> says
    /// what was needed and what was left.
    /// With <paramref name="inFlight"/> or more refusals (at least 2) within one wait, the whole operation pauses, until
    /// the end of the wait asked for even when the refusal is final.
    /// </summary>
    internal bool TryWait(
        DateTimeOffset now, TimeSpan wait, int inFlight, TimeSpan budget, out DateTimeOffset waitUntil, out bool pauseStarted, out ThrottleShortfall? shortfall)
    {
        lock (_lock)
        {
            pauseStarted = false;
            shortfall = null;
            Refusals++;
            var end = now + wait;
            var window = wait > MinimumWindow ? wait : MinimumWindow;
            _refusals.Enqueue(now);
            // A refusal whose wait has ended is out of the window: a request refused again when it is sent again after
            // its wait, the only one in flight, is no burst of two.
            while (_refusals.Count > 0 && _refusals.Peek() <= now - window)
            {
                _refusals.Dequeue();
            }

            var pauses = _refusals.Count >= Math.Max(2, inFlight) && end > _pausedUntil;

            // The request waits for its own wait and for the operation's pause, whichever ends later.
            var until = _pausedUntil > end ? _pausedUntil : end;
            var added = Uncounted(now, until);
            var left = Left(budget);
            if (added > left)
            {
                shortfall = new ThrottleShortfall(until - now, left, budget, paused: until > end);
                if (pauses)
                {
                    // The partner's allowance is spent: the service refuses every request until then, whether or not
                    // this run can wait for it. Nobody waits on the budget's account; see TryEnter.
                    _pausedUntil = end;
                }

                waitUntil = now;
                return false;
            }

            Count(until, added);
            if (pauses)
            {
                pauseStarted = _pausedUntil <= now;
                _pauseAnnounced |= pauseStarted;
                _pausedUntil = end;
            }

            waitUntil = until;
            return true;
        }
    }

    /// <summary>
    /// A request is about to be sent at <paramref name="now"/>: true with the <paramref name="wait"/> for the operation's
    /// pause to end (zero when there is none); false when what is left of <paramref name="budget"/> cannot cover the part
    /// of that pause no earlier wait counted, with the <paramref name="shortfall"/>: the request is not sent.
    /// </summary>
    internal bool TryEnter(DateTimeOffset now, TimeSpan budget, out TimeSpan wait, out ThrottleShortfall? shortfall)
    {
        lock (_lock)
        {
            shortfall = null;
            wait = TimeSpan.Zero;
            if (_pausedUntil <= now)
            {
                return true;
            }

            var added = Uncounted(now, _pausedUntil);
            var left = Left(budget);
            if (added > left)
            {
                shortfall = new ThrottleShortfall(_pausedUntil - now, left, budget, paused: true);
                return false;
            }

            Count(_pausedUntil, added);
            wait = _pausedUntil - now;
            return true;
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

    // Under the lock: the part of a wait from now until `until` that no earlier wait counted.
    private TimeSpan Uncounted(DateTimeOffset now, DateTimeOffset until)
    {
        var from = _throttledUntil > now ? _throttledUntil : now;
        return until > from ? until - from : TimeSpan.Zero;
    }

    // Under the lock: what is left of the budget.
    private TimeSpan Left(TimeSpan budget) => budget > Spent ? budget - Spent : TimeSpan.Zero;

    // Under the lock: a wait until `until` is taken, `added` of it not counted before.
    private void Count(DateTimeOffset until, TimeSpan added)
    {
        Spent += added;
        if (until > _throttledUntil)
        {
            _throttledUntil = until;
        }
    }
}
