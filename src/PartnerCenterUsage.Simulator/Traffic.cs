using System.Globalization;

namespace PartnerCenterUsage.Simulator;

/// <summary>How links.next of a customer page is written.</summary>
public enum NextLinkStyle
{
    /// <summary>Relative, without the version, as Partner Center writes it: /customers?size=...&amp;seekOperation=Next.</summary>
    Relative,

    /// <summary>An absolute URL.</summary>
    Absolute,

    /// <summary>Relative and absolute in turn, page after page.</summary>
    Alternate,
}

/// <summary>Faults drawn at random, from a seed, at configured rates (each between 0 and 1).</summary>
public sealed class RandomFaults
{
    /// <summary>The seed: the same seed gives the same sequence of draws.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Share of requests answered 500, 502, 503 or 504.</summary>
    public double ServerErrorRate { get; init; }

    /// <summary>Share of requests answered 429 with <see cref="ThrottleRetryAfter"/>.</summary>
    public double ThrottleRate { get; init; }

    /// <summary>The Retry-After of random 429s.</summary>
    public string ThrottleRetryAfter { get; init; } = "1";

    /// <summary>Share of requests whose connection is dropped without an answer.</summary>
    public double DropRate { get; init; }

    /// <summary>Share of requests answered after <see cref="SlowDelay"/>.</summary>
    public double SlowRate { get; init; }

    /// <summary>The delay of slow answers.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>A token bucket: <c>rate</c> tokens a second, at most <c>burst</c> stored; a request takes one or is refused.</summary>
internal sealed class TokenBucket(double rate, int burst, Func<DateTimeOffset> clock)
{
    private readonly object _lock = new();
    private double _tokens = burst;
    private DateTimeOffset _last = clock();

    /// <summary>Takes a token, or says how long until one is available.</summary>
    public bool TryTake(out TimeSpan wait)
    {
        lock (_lock)
        {
            var now = clock();
            _tokens = Math.Min(burst, _tokens + ((now - _last).TotalSeconds * rate));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                wait = TimeSpan.Zero;
                return true;
            }

            wait = TimeSpan.FromSeconds((1 - _tokens) / rate);
            return false;
        }
    }
}

/// <summary>Draws random faults from <see cref="RandomFaults"/>.</summary>
internal sealed class FaultDraw(RandomFaults faults)
{
    private static readonly int[] ServerErrors = [500, 502, 503, 504];
    private readonly Random _random = new(faults.Seed);
    private readonly object _lock = new();

    public InjectedFault? Next()
    {
        double draw;
        int status;
        lock (_lock)
        {
            draw = _random.NextDouble();
            status = ServerErrors[_random.Next(ServerErrors.Length)];
        }

        if ((draw -= faults.ServerErrorRate) < 0)
        {
            return InjectedFault.Error(status, status.ToString(CultureInfo.InvariantCulture), "Injected service failure.");
        }

        if ((draw -= faults.ThrottleRate) < 0)
        {
            return InjectedFault.Throttle(faults.ThrottleRetryAfter);
        }

        if ((draw -= faults.DropRate) < 0)
        {
            return new InjectedFault { DropConnection = true };
        }

        if ((draw -= faults.SlowRate) < 0)
        {
            return new InjectedFault { StatusCode = 0, Delay = faults.SlowDelay };
        }

        return null;
    }
}
