using System;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>
/// What tells a row of a customer's figure and day from another row of the same figure and day: the customer's name as
/// the row gives it, its service and channel (texts), its exact processed date and its counts, hashed to 64 bits so that a builder keeps 8 bytes a figure,
/// not the row. Two rows of one figure and day with the same mark are the same row read twice (a service that sent it
/// again, or the same rows piped in twice): the report counts it once.
/// </summary>
internal readonly struct RowMark : IEquatable<RowMark>
{
    private readonly ulong _hash;

    private RowMark(ulong hash) => _hash = hash == 0 ? 1 : hash;

    /// <summary>Whether this is a mark at all (the default value is none).</summary>
    public bool IsSet => _hash != 0;

    public static RowMark Of(string? name, string? firstText, string? secondText, DateTimeOffset? processed, long? first, long? second, long? third)
    {
        var hash = 14695981039346656037UL;
        hash = Add(hash, name);
        hash = Add(hash, firstText);
        hash = Add(hash, secondText);
        hash = Add(hash, processed?.UtcTicks);
        hash = Add(hash, first);
        hash = Add(hash, second);
        return new RowMark(Add(hash, third));
    }

    /// <summary>This mark with <paramref name="text"/> added: for rows that carry more than the fields of <see cref="Of"/>.</summary>
    public RowMark With(string? text) => new(Add(_hash, text));

    /// <summary>This mark with <paramref name="count"/> added.</summary>
    public RowMark With(long? count) => new(Add(_hash, count));

    public bool Equals(RowMark other) => _hash == other._hash;

    public override bool Equals(object? obj) => obj is RowMark other && Equals(other);

    public override int GetHashCode() => _hash.GetHashCode();

    // FNV-1a, with a marker for an unknown value, so that null and "" or 0 are told apart.
    private static ulong Add(ulong hash, string? text)
    {
        if (text is null)
        {
            return Step(hash, 0xFF);
        }

        hash = Step(hash, 0xFE);
        foreach (var c in text)
        {
            hash = Step(Step(hash, (byte)c), (byte)(c >> 8));
        }

        return Step(hash, 0xFD);
    }

    private static ulong Add(ulong hash, long? value)
    {
        if (value is not { } number)
        {
            return Step(hash, 0xFF);
        }

        hash = Step(hash, 0xFE);
        for (var i = 0; i < 8; i++)
        {
            hash = Step(hash, (byte)(number >> (8 * i)));
        }

        return hash;
    }

    private static ulong Step(ulong hash, byte b) => (hash ^ b) * 1099511628211UL;
}
