using System;
using System.IO;

namespace PartnerCenterUsage.Engine.Reports.Files;

/// <summary>A path a report is not written to, and why: found before the report is written, and checked again before it replaces what is there.</summary>
public sealed class ReportTargetException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ReportTargetException(ReportTargetProblem problem, string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
        Path = path;
    }

    /// <summary>Why the report is not written there.</summary>
    public ReportTargetProblem Problem { get; }

    /// <summary>The path of the report.</summary>
    public string Path { get; }
}
