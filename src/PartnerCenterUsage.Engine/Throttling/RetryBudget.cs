using System;

namespace PartnerCenterUsage.Engine.Throttling;

/// <summary>
/// Bounds the retries of one run: it starts with <c>minimum</c> retries and every request adds <c>ratio</c> of one.
/// A brief fault is retried in full; a service that keeps failing stops being retried and the run fails fast,
/// customer by customer, instead of multiplying the load.
/// </summary>
public sealed class RetryBudget
{
    private readonly object _lock = new();
    private readonly double _ratio;
    private double _balance;

    /// <summary>Creates a budget.</summary>
    public RetryBudget(int minimum = 50, double ratio = 0.5)
    {
        if (minimum < 0 || ratio < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), "The budget cannot be negative.");
        }

        _balance = minimum;
        _ratio = ratio;
    }

    /// <summary>Retries made so far.</summary>
    public int Spent { get; private set; }

    /// <summary>A request is made: it earns part of a retry.</summary>
    public void Deposit()
    {
        lock (_lock)
        {
            _balance += _ratio;
        }
    }

    /// <summary>Takes one retry; false when the budget is spent.</summary>
    public bool TryWithdraw()
    {
        lock (_lock)
        {
            if (_balance < 1)
            {
                return false;
            }

            _balance -= 1;
            Spent++;
            return true;
        }
    }
}
