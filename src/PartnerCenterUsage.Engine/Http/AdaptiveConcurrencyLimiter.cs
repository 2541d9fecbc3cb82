using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// Limits the requests in flight of one run, and adapts the limit to throttling (AIMD): a 429 halves it, once per
/// overshoot (429s of requests sent before the last decrease do not count again); then every <c>limit</c> successes
/// in a row raise it by one, back up to the maximum. A throttled run so converges on the rate the server accepts
/// instead of hammering it. The throttled request itself waits its Retry-After (the retry policy); the others go on
/// at the lower limit, as pausing them all would throw away what the server still allows.
/// </summary>
public sealed class AdaptiveConcurrencyLimiter
{
    private readonly object _lock = new();
    private readonly List<TaskCompletionSource<bool>> _waiters = new();
    private int _limit;
    private int _inFlight;
    private int _successes;
    private int _epoch;

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

    /// <summary>Waits for a slot; report how the request went on the lease, and dispose it when it is answered.</summary>
    public async Task<Lease> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TaskCompletionSource<bool> signal;
            lock (_lock)
            {
                if (_inFlight < _limit)
                {
                    _inFlight++;
                    return new Lease(this, _epoch);
                }

                signal = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add(signal);
            }

            try
            {
                using (cancellationToken.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetResult(false), signal))
                {
                    await signal.Task.ConfigureAwait(false);
                }
            }
            finally
            {
                lock (_lock)
                {
                    _waiters.Remove(signal);
                }
            }
        }
    }

    private void Throttled(int epoch)
    {
        lock (_lock)
        {
            _successes = 0;
            if (epoch == _epoch)
            {
                _limit = Math.Max(1, _limit / 2);
                _epoch++;
            }
        }
    }

    private void Succeeded()
    {
        lock (_lock)
        {
            if (_limit < Maximum && ++_successes >= _limit)
            {
                _limit++;
                _successes = 0;
                WakeAll();
            }
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            _inFlight--;
            WakeAll();
        }
    }

    private void WakeAll()
    {
        foreach (var waiter in _waiters)
        {
            waiter.TrySetResult(true);
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
