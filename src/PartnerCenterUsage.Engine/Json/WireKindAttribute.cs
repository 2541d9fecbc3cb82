using System;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// What the items of a <see cref="WireItem"/> type are called in a message (plural: "subscriptions"), and the
/// <c>attributes.objectType</c> values Partner Center documents for them.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class WireKindAttribute(string name, params string[] objectTypes) : Attribute
{
    public string Name { get; } = name;

    public string[] ObjectTypes { get; } = objectTypes;
}
