using System;

namespace PartnerCenterUsage.Engine.Json;

/// <summary>
/// Marks a field that, among the items of every endpoint the module reads, only this <see cref="WireItem"/> type has
/// (a subscription's offerId, a partner-wide row's proratedLicensesUsagePercent): seen in another endpoint's answer,
/// it tells whose item that is. A test checks that no other type reads or marks the same name.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class OwnFieldAttribute : Attribute
{
}
