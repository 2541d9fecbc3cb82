namespace PartnerCenterUsage.Tests.Support;

/// <summary>
/// Simulated time for the module, the simulator and the identity provider alike, so that no test waits on real
/// seconds and none depends on the machine's speed.
/// <list type="bullet">
/// <item>Waits (a Retry-After, a backoff, a throttling pause, simulated latency: every timer that is not a cancellation
/// source's) end at once when <see cref="AutoAdvance"/> is on: the clock moves on to their end, as if the time had
/// passed, and the waiting code goes on. Concurrent waits that began at the same simulated moment overlap.</item>
/// <item>Timeouts (a timer that cancels a <see cref="CancellationTokenSource"/>) fire only when <see cref="Advance"/>
/// moves the clock past them: a test decides when a service has taken too long.</item>
/// </list>
/// Token expiry needs neither: a test moves the clock with <see cref="Advance"/> between steps.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private readonly object _lock = new();
    private readonly List<ClockTimer> _timers = [];
    private DateTimeOffset _now;
    private long _lastScheduled;

    /// <summary>Starts at the machine's time, so that dates from MSAL and from this clock agree at first.</summary>
    public TestClock(bool autoAdvance = true)
    {
        var now = DateTimeOffset.UtcNow;
        _now = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        AutoAdvance = autoAdvance;
    }

    /// <summary>True to end waits at once by moving the clock on; false to end them only with <see cref="Advance"/>.</summary>
    public bool AutoAdvance { get; set; }

    /// <summary>The simulated time that waits have skipped, and <see cref="Advance"/> added, since the start.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <summary>The timeouts that are armed now, with the time left to each.</summary>
    public IReadOnlyList<TimeSpan> PendingTimeouts
    {
        get
        {
            lock (_lock)
            {
                return _timers.Where(t => t.IsTimeout).Select(t => t.Due - _now).ToList();
            }
        }
    }

    /// <summary>How many waits (timers that are not timeouts) are armed now, waiting for <see cref="Advance"/>.</summary>
    public int PendingWaits
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count(t => !t.IsTimeout);
            }
        }
    }

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    /// <inheritdoc/>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc/>
    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    /// <summary>Moves the clock on, firing in order every timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_lock)
        {
            target = _now + by;
            Elapsed += by;
        }

        while (true)
        {
            ClockTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.Due <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = target;
                    return;
                }

                if (next.Due > _now)
                {
                    _now = next.Due;
                }

                next.Disarm(_timers);
            }

            next.Fire();
        }
    }

    /// <summary>
    /// Runs simulated time as a scheduler does: waits no longer end at once, one by one, but whenever nothing has started
    /// a new wait for <paramref name="quiet"/> of real time, the clock moves to the earliest wait due and ends every wait
    /// due then. Waits that begin together so end together, as on a real clock, which a run whose requests overlap in
    /// time (a throttling storm, a pause of everyone) needs. Timeouts are only passed, never moved to, unless <paramref name="timeoutsMayFire"/> says so. Dispose to stop.
    /// </summary>
    /// <param name="quiet">How long nothing must have started a new wait before the clock moves.</param>
    /// <param name="timeoutsMayFire">
    /// When given, and it says so while no wait is armed, the clock moves to the earliest timeout instead: a service that
    /// hangs lets the client's timeouts fire. The test decides when only hung requests are left to time out.
    /// </param>
    /// <param name="canMove">
    /// When given, the clock moves only while it says so: a test says when nothing is at work in real time (a request
    /// being answered), since moving then would make that work take simulated time it never took.
    /// </param>
    public IAsyncDisposable RunVirtualTime(TimeSpan quiet, Func<bool>? timeoutsMayFire = null, Func<bool>? canMove = null)
    {
        AutoAdvance = false;
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(5, CancellationToken.None);
                if (canMove is not null && !canMove())
                {
                    continue;
                }

                DateTimeOffset? next;
                lock (_lock)
                {
                    next = Environment.TickCount64 - _lastScheduled < quiet.TotalMilliseconds
                        ? null
                        : _timers.Where(t => !t.IsTimeout).Select(t => (DateTimeOffset?)t.Due).Min();
                }

                if (next is null && timeoutsMayFire is not null && Environment.TickCount64 - _lastScheduled >= quiet.TotalMilliseconds && timeoutsMayFire())
                {
                    lock (_lock)
                    {
                        next = _timers.Where(t => t.IsTimeout).Select(t => (DateTimeOffset?)t.Due).Min();
                    }
                }

                if (next is { } due)
                {
                    Advance(due > GetUtcNow() ? due - GetUtcNow() : TimeSpan.Zero);
                }
            }
        });
        return new VirtualTime(stop, loop);
    }

    private sealed class VirtualTime(CancellationTokenSource stop, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ClockTimer(this, callback, state, state is CancellationTokenSource);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Schedule(ClockTimer timer, TimeSpan dueTime)
    {
        var fireNow = false;
        lock (_lock)
        {
            timer.Disarm(_timers);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            timer.Due = _now + dueTime;
            _lastScheduled = Environment.TickCount64;
            if (!timer.IsTimeout && (AutoAdvance || dueTime <= TimeSpan.Zero))
            {
                // A wait ends now: the clock skips to its end (unless another wait already took it further).
                if (timer.Due > _now)
                {
                    Elapsed += timer.Due - _now;
                    _now = timer.Due;
                }

                fireNow = true;
            }
            else
            {
                _timers.Add(timer);
            }
        }

        if (fireNow)
        {
            // Never on the caller's stack: a timer callback runs later, as a real timer's would.
            ThreadPool.UnsafeQueueUserWorkItem(static t => t.Fire(), timer, preferLocal: false);
        }
    }

    private sealed class ClockTimer(TestClock clock, TimerCallback callback, object? state, bool isTimeout) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public bool IsTimeout { get; } = isTimeout;

        public DateTimeOffset Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                if (_disposed)
                {
                    return false;
                }

                _period = period;
            }

            clock.Schedule(this, dueTime);
            return true;
        }

        public void Disarm(List<ClockTimer> timers) => timers.Remove(this);

        public void Fire()
        {
            TimeSpan period;
            lock (clock._lock)
            {
                if (_disposed)
                {
                    return;
                }

                period = _period;
            }

            callback(state);
            if (period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero)
            {
                clock.Schedule(this, period);
            }
        }

        public void Dispose()
        {
            lock (clock._lock)
            {
                _disposed = true;
                Disarm(clock._timers);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return default;
        }
    }
}
