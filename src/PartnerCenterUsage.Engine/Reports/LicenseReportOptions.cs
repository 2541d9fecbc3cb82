using System;
using System.Collections.Generic;
using System.Reflection;

namespace PartnerCenterUsage.Engine.Reports;

/// <summary>What a license report says about itself, and how many bars its charts rank.</summary>
public sealed class LicenseReportOptions
{
    /// <summary>The customers each ranking (chart) shows when none is given.</summary>
    public const int DefaultTop = 10;

    /// <summary>The page's title.</summary>
    public string Title { get; set; } = "Partner Center license report";

    /// <summary>The customers (or workloads, products) each chart shows.</summary>
    public int Top { get; set; } = DefaultTop;

    /// <summary>The version of the module that makes the report: the engine's.</summary>
    public string ModuleVersion { get; set; } = EngineVersion;

    /// <summary>The engine's version, without the build's source revision.</summary>
    public static string EngineVersion { get; } = ReadEngineVersion();

    /// <summary>
    /// Earlier reports to compare with (the section "Since the baseline"): the latest one before this report's figures
    /// is the baseline; with several, each headline figure gets a trend. Empty: no comparison.
    /// </summary>
    public IReadOnlyList<Comparison.LicenseSnapshot> Baselines { get; set; } = [];

    /// <summary>When the report was made.</summary>
    public DateTimeOffset GeneratedAt { get; set; } = DateTimeOffset.UtcNow;

    private static string ReadEngineVersion()
    {
        var assembly = typeof(LicenseReportOptions).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";
        var plus = version.IndexOf('+');
        return plus < 0 ? version : version.Substring(0, plus);
    }
}
