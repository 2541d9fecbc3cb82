using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// Limits the requests in flight of one run, and adapts the limit to throttling: a 429 halves it (at most once a
/// second, so one burst of 429s counts once) and pauses new requests for the server's Retry-After; then every
/// <c>limit</c> successes in a row raise it by one, back up to the maximum. A throttled run so converges on the
/// rate the server accepts instead of hammering it.
/// </summary>
public sealed class AdaptiveConcurrencyLimiter
{
    private static readonly TimeSpan DecreaseInterval = TimeSpan.FromSeconds(1);
    private readonly object _lock = new();
    private readonly List<TaskCompletionSource<bool>> _waiters = new();
    private readonly Func<DateTimeOffset> _clock;
    private int _limit;
    private int _inFlight;
    private int _successes;
    private DateTimeOffset _pausedUntil;
    private DateTimeOffset _lastDecrease;

    /// <summary>Creates a limiter that allows up to <paramref name="maximum"/> requests at once.</summary>
    public AdaptiveConcurrencyLimiter(int maximum, Func<DateTimeOffset>? clock = null)
    {
        if (maximum < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, "At least one request must be allowed.");
        }

        Maximum = maximum;
        _limit = maximum;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
        _lastDecrease = DateTimeOffset.MinValue;
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

    /// <summary>Waits for a slot; dispose the lease when the request is answered.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TaskCompletionSource<bool> signal;
            TimeSpan pause;
            lock (_lock)
            {
                pause = _pausedUntil - _clock();
                if (pause <= TimeSpan.Zero && _inFlight < _limit)
                {
                    _inFlight++;
                    return new Lease(this);
                }

                signal = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters.Add(signal);
            }

            try
            {
                using (cancellationToken.Register(static s => ((TaskCompletionSource<bool>)s!).TrySetResult(false), signal))
                {
                    if (pause > TimeSpan.Zero)
                    {
                        await Task.WhenAny(signal.Task, Task.Delay(pause, cancellationToken)).ConfigureAwait(false);
                    }
                    else
                    {
                        await signal.Task.ConfigureAwait(false);
                    }
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

    /// <summary>The server throttled a request: halve the limit and pause new requests for <paramref name="retryAfter"/>.</summary>
    public void OnThrottled(TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            var now = _clock();
            if (now - _lastDecrease >= DecreaseInterval)
            {
                _limit = Math.Max(1, _limit / 2);
                _lastDecrease = now;
            }

            _successes = 0;
            if (retryAfter is { } wait && now + wait > _pausedUntil)
            {
                _pausedUntil = now + wait;
            }
        }
    }

    /// <summary>A request succeeded: after <c>limit</c> successes in a row, allow one more at once.</summary>
    public void OnSuccess()
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

    private sealed class Lease(AdaptiveConcurrencyLimiter owner) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                owner.Release();
            }
        }
    }
}
