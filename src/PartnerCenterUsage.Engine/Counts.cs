namespace PartnerCenterUsage.Engine;

/// <summary>
/// Arithmetic on license counts that never wraps: a result past what a count can hold (a long, ±9,223,372,036,854,775,807)
/// is unknown (null), like a count nobody sent, never a wrapped number of the other sign. Every sum and difference of
/// counts the module makes goes through here.
/// </summary>
internal static class Counts
{
    /// <summary>The largest count, as the report's notes name it.</summary>
    public const string Largest = "9,223,372,036,854,775,807";

    /// <summary><paramref name="a"/> + <paramref name="b"/>; null when either is unknown or the sum is out of range.</summary>
    public static long? Add(long? a, long? b)
    {
        if (a is not { } x || b is not { } y)
        {
            return null;
        }

        var sum = unchecked(x + y);
        return ((x ^ sum) & (y ^ sum)) < 0 ? null : sum;
    }

    /// <summary><paramref name="a"/> − <paramref name="b"/>; null when either is unknown or the difference is out of range.</summary>
    public static long? Subtract(long? a, long? b)
    {
        if (a is not { } x || b is not { } y)
        {
            return null;
        }

        var difference = unchecked(x - y);
        return ((x ^ y) & (x ^ difference)) < 0 ? null : difference;
    }

    /// <summary>−<paramref name="a"/>; null when unknown or out of range (the least long has no opposite).</summary>
    public static long? Negate(long? a) => a is { } x && x != long.MinValue ? -x : null;
}
