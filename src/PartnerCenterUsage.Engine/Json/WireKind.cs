using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.Json.Serialization;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// One kind of item the module reads (customers, subscriptions, license usage rows...): its name for messages, the
/// objectTypes Partner Center tags it with, and the fields only it has (<see cref="OwnFieldAttribute"/>), all read from
/// its <see cref="WireItem"/> type.
/// </summary>
internal sealed class WireKind
{
    private readonly PropertyInfo[] _ownProperties;

    public WireKind(Type type)
    {
        Type = type;
        var kind = type.GetCustomAttribute<WireKindAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} has no {nameof(WireKindAttribute)}.");
        Name = kind.Name;
        ObjectTypes = kind.ObjectTypes;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        _ownProperties = properties.Where(p => p.IsDefined(typeof(OwnFieldAttribute))).ToArray();
        OwnFields = _ownProperties.Select(JsonName).ToArray();
        ReadFields = properties.Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null).Select(JsonName).ToArray();
    }

    public Type Type { get; }

    /// <summary>The items' name in a message, plural ("partner-wide license usage rows").</summary>
    public string Name { get; }

    public IReadOnlyList<string> ObjectTypes { get; }

    /// <summary>The JSON names of the fields only this kind has.</summary>
    public IReadOnlyList<string> OwnFields { get; }

    /// <summary>The JSON names this kind's type reads.</summary>
    public IReadOnlyList<string> ReadFields { get; }

    /// <summary>True when <paramref name="item"/> (of this kind's type) came with any of the fields only this kind has.</summary>
    public bool HasOwnField(WireItem item) => _ownProperties.Any(p => p.GetValue(item) is not null);

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;
}
