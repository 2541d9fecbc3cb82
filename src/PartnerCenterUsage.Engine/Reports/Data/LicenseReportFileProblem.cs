namespace PartnerCenterUsage.Engine.Reports.Data;

/// <summary>Why a file could not be read as a license report.</summary>
public enum LicenseReportFileProblem
{
    /// <summary>The file carries no report data: it is not a page of the module's report, or one written before pages carried their figures.</summary>
    NotAReport,

    /// <summary>The page's data is of a format newer than this module reads: a newer version of the module wrote it.</summary>
    NewerFormat,

    /// <summary>The page's data is cut short or not as the module writes it (a truncated copy, an edited or hostile file).</summary>
    Damaged,
}
