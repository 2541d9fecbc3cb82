namespace PartnerCenterUsage.Engine.Reports.Model;

/// <summary>What a <see cref="ReportCell"/> holds.</summary>
public enum ReportCellKind : byte
{
    /// <summary>Text, for example a customer's name.</summary>
    Text,

    /// <summary>A <see cref="ReportValue"/>: a count or a percentage.</summary>
    Value,

    /// <summary>A point in time, for example a row's processed date.</summary>
    Date,
}
