using System.Management.Automation;

namespace PartnerCenterUsage.Tests.Support;

/// <summary>Reads properties of output objects the way a script does, whatever assembly their type lives in.</summary>
public static class PSObjectExtensions
{
    public static object? Prop(this PSObject value, string name) => value.Properties[name]?.Value is { } v ? (v is PSObject p ? p.BaseObject : v) : null;

    public static T Prop<T>(this PSObject value, string name) => (T)value.Prop(name)!;

    public static string TypeName(this PSObject value) => value.TypeNames[0];
}
