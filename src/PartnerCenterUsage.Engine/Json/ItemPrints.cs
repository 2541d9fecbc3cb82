using System;
using System.Collections.Generic;
using System.Buffers.Binary;
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
/// each item's bytes as it goes: the reader says where an item starts and ends, so no item is looked for twice. The body
/// being read is set for the thread by <see cref="ItemPrints.Reading"/>; without it the items are read unprinted.
/// </summary>
/// <typeparam name="T">The wire items.</typeparam>
internal sealed class ItemListConverter<T>(string name) : ReadOnlyJsonConverter<List<T?>?>
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
            try
            {
                items.Add(JsonSerializer.Deserialize<T>(ref reader, options));
            }
            catch (JsonException ex)
            {
                // The serializer reads an item on a reader of its own: its path is the item's, without where it is.
                throw new JsonException(ex.Message, "$." + name + "[" + items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]" + ex.Path?.TrimStart('$'), ex.LineNumber, ex.BytePositionInLine, ex);
            }

            if (body is { } bytes)
            {
                // The reader reads one span, the whole body: its positions are the body's.
                items.Prints.Add(ItemPrints.Of(bytes.Span.Slice((int)start, (int)(reader.BytesConsumed - start))));
            }
        }

        return items;
    }
}

/// <summary>
/// Makes the <see cref="ItemListConverter{T}"/> of an envelope's item list (an attribute cannot name the envelope's T),
/// named for its errors: <see cref="Classic"/> for "items", <see cref="Commercial"/> for "Value".
/// </summary>
internal abstract class ItemListConverterFactory(string name) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(List<>) && typeToConvert.GetGenericArguments()[0].IsClass;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ItemListConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]), name)!;

    /// <summary>The classic collection's "items".</summary>
    internal sealed class Classic() : ItemListConverterFactory("items");

    /// <summary>The commercial analytics' "Value".</summary>
    internal sealed class Commercial() : ItemListConverterFactory("Value");
}

/// <summary>The body being read on this thread, for <see cref="ItemListConverter{T}"/>, and the print of an item's bytes.</summary>
internal static class ItemPrints
{
    [ThreadStatic]
    private static ReadOnlyMemory<byte>? t_body;

    public static ReadOnlyMemory<byte>? Body => t_body;

    /// <summary>
    /// Sets the body the next synchronous read on this thread reads, exactly as passed to the serializer, until disposed;
    /// null: the items are not printed.
    /// </summary>
    public static Scope Reading(ReadOnlyMemory<byte>? body)
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
        // Read as little-endian words wherever they lie: an item starts at any offset, and the print is the same on
        // every platform.
        var hash = Prime3 ^ (ulong)bytes.Length;
        var i = 0;
        for (; i + 8 <= bytes.Length; i += 8)
        {
            hash = Step(hash, BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(i)));
        }

        ulong tail = 0;
        for (; i < bytes.Length; i++)
        {
            tail = (tail << 8) | bytes[i];
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
