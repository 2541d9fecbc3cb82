using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Throttling;

/// <summary>
/// Limits the requests in flight of one run, and adapts the limit to throttling. A 429 at a new level halves the
/// limit, once per overshoot (429s of requests sent before the last decrease do not count again), and remembers the
/// level that was refused. Successes raise it again by one per <c>limit</c> successes up to just below that level,
/// then probe the level only after several times as many; a probe that is refused steps back just below it, and the
/// next probe waits twice as long. A throttled run so settles just under the rate the server accepts instead of
/// oscillating around it; when throttling stops, the limit climbs back to the maximum. The throttled request itself waits its Retry-After (the retry policy); the
/// others go on at the lower limit, as pausing them all would throw away what the server still allows.
/// </summary>
public sealed class AdaptiveConcurrencyLimiter
{
    private readonly object _lock = new();
    // Waiters in arrival order: a slot goes to the one that waited longest, never to a late caller barging in.
    private readonly LinkedList<TaskCompletionSource<Lease>> _waiters = new();
    private int _limit;
    private int _inFlight;
    private const int FirstProbeFactor = 4;
    private const int LastProbeFactor = 32;
    private int _successes;
    private int _epoch;
    private int _ceiling = int.MaxValue;
    private int _probeFactor = FirstProbeFactor;

    /// <summary>Creates a limiter that allows up to <paramref name="maximum"/> requests at once.</summary>
    public AdaptiveConcurrencyLimiter(int maximum)
    {
        if (maximum < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, "At least one request must be allowed.");
        }

        Maximum = maximum;
        _limit = maximum;
    }

    /// <summary>The most requests ever allowed at once.</summary>
    public int Maximum { get; }

    /// <summary>The requests allowed at once now.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }
    }

    /// <summary>The requests in flight now.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Waits for a slot, first come first served; report how the request went on the lease, and dispose it when answered.</summary>
    public async Task<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<Lease> waiter;
        LinkedListNode<TaskCompletionSource<Lease>> node;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _inFlight < _limit)
            {
                _inFlight++;
                return new Lease(this, _epoch);
            }

            waiter = new TaskCompletionSource<Lease>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = _waiters.AddLast(waiter);
        }

        using (cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                // Still queued: leave the queue. Already granted: the grant stands and the caller releases it.
                if (node.List is not null)
                {
                    _waiters.Remove(node);
                    waiter.TrySetCanceled(cancellationToken);
                }
            }
        }))
        {
            return await waiter.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The operation's throttling pause is over (<see cref="ThrottleGate"/>). The refusals that came while the partner's
    /// allowance was spent said nothing of how many requests at once the service takes: the refused level and the probe
    /// pace they taught are forgotten, and the limit climbs back from where it is by one per <c>limit</c> successes. Kept,
    /// they held a run to one or two requests at once for hundreds of answers after a storm (12 s of 2,000 customers).
    /// </summary>
    public void Resumed()
    {
        lock (_lock)
        {
            _ceiling = int.MaxValue;
            _probeFactor = FirstProbeFactor;
            _successes = 0;
        }
    }

    private void Throttled(int epoch)
    {
        lock (_lock)
        {
            _successes = 0;
            if (epoch == _epoch)
            {
                if (_limit >= _ceiling)
                {
                    // A probe of the level refused before, refused again: the level below works; probe less often.
                    _probeFactor = Math.Min(LastProbeFactor, _probeFactor * 2);
                    _limit = Math.Max(1, _ceiling - 1);
                }
                else
                {
                    // Refused at a new level: back off hard, the server's room is unknown.
                    _probeFactor = FirstProbeFactor;
                    _ceiling = _limit;
                    _limit = Math.Max(1, _limit / 2);
                }

                _epoch++;
            }
        }
    }

    private void Succeeded()
    {
        lock (_lock)
        {
            var needed = _limit + 1 < _ceiling ? _limit : _limit * _probeFactor;
            if (_limit < Maximum && ++_successes >= needed)
            {
                _limit++;
                _successes = 0;
                Grant();
            }
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            _inFlight--;
            Grant();
        }
    }

    // Under the lock: hands free slots to the longest waiters.
    private void Grant()
    {
        while (_waiters.Count > 0 && _inFlight < _limit)
        {
            var waiter = _waiters.First!.Value;
            _waiters.RemoveFirst();
            _inFlight++;
            waiter.TrySetResult(new Lease(this, _epoch));
        }
    }

    /// <summary>One request's slot.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly AdaptiveConcurrencyLimiter _owner;
        private readonly int _epoch;
        private int _released;

        internal Lease(AdaptiveConcurrencyLimiter owner, int epoch)
        {
            _owner = owner;
            _epoch = epoch;
        }

        /// <summary>The request was throttled (429).</summary>
        public void Throttled() => _owner.Throttled(_epoch);

        /// <summary>The request succeeded.</summary>
        public void Succeeded() => _owner.Succeeded();

        /// <summary>Frees the slot.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _owner.Release();
            }
        }
    }
}
