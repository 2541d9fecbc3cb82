using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// The items of an envelope as read, each with a 64-bit print of its bytes in the body: two items with the same print
/// are the same item sent twice, byte for byte, whatever reading them keeps (a field no model holds, a value read as
/// unknown). The pager leaves such copies out (<see cref="Http.PartnerCenterPager{T}"/>).
/// </summary>
/// <typeparam name="T">The wire items.</typeparam>
internal sealed class ItemList<T> : List<T?>
{
    /// <summary>Each item's print, in the items' order.</summary>
    public List<ulong> Prints { get; } = new();
}

/// <summary>
/// Reads an envelope's item array into an <see cref="ItemList{T}"/>, item by item as the serializer would, printing
/// each item's bytes as it goes (no second pass over the body). The body being read is set for the thread by
/// <see cref="ItemPrints.Reading"/>; without it the items are read unprinted.
/// </summary>
/// <typeparam name="T">The wire items.</typeparam>
internal sealed class ItemListConverter<T> : ReadOnlyJsonConverter<List<T?>?>
    where T : class
{
    public override List<T?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("The items are not an array.");
        }

        var body = ItemPrints.Body;
        var items = new ItemList<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = reader.TokenStartIndex;
            items.Add(JsonSerializer.Deserialize<T>(ref reader, options));
            if (body is { } bytes)
            {
                // The reader reads one span, the whole body: its positions are the body's.
                items.Prints.Add(ItemPrints.Of(bytes.Span.Slice((int)start, (int)(reader.BytesConsumed - start))));
            }
        }

        return items;
    }
}

/// <summary>Makes the <see cref="ItemListConverter{T}"/> of an envelope's item list (an attribute cannot name the envelope's T).</summary>
internal sealed class ItemListConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(List<>) && typeToConvert.GetGenericArguments()[0].IsClass;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ItemListConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;
}

/// <summary>The body being read on this thread, for <see cref="ItemListConverter{T}"/>, and the print of an item's bytes.</summary>
internal static class ItemPrints
{
    [ThreadStatic]
    private static ReadOnlyMemory<byte>? t_body;

    public static ReadOnlyMemory<byte>? Body => t_body;

    /// <summary>Sets the body the next synchronous read on this thread reads, exactly as passed to the serializer, until disposed.</summary>
    public static Scope Reading(ReadOnlyMemory<byte> body)
    {
        t_body = body;
        return default;
    }

    /// <summary>
    /// A 64-bit print of <paramref name="bytes"/>: 8 bytes a step, multiplied and rotated, then the tail and the length
    /// mixed in. Not cryptographic: a service that wanted to hide a row could simply leave it out.
    /// </summary>
    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        var hash = Prime3 ^ (ulong)bytes.Length;
        foreach (var word in words)
        {
            hash = Step(hash, word);
        }

        ulong tail = 0;
        for (var j = words.Length * 8; j < bytes.Length; j++)
        {
            tail = (tail << 8) | bytes[j];
        }

        hash = Step(hash, tail);
        hash ^= hash >> 33;
        hash *= Prime2;
        return hash ^ (hash >> 29);
    }

    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x27D4EB2F165667C5UL;

    private static ulong Step(ulong lane, ulong word) => Rotate(lane ^ (word * Prime2), 31) * Prime1;

    private static ulong Rotate(ulong value, int bits) => (value << bits) | (value >> (64 - bits));

    /// <summary>Ends a <see cref="Reading"/>.</summary>
    public readonly struct Scope : IDisposable
    {
        public void Dispose() => t_body = null;
    }
}
