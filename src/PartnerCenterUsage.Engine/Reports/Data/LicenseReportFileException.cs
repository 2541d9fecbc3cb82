using System;

namespace PartnerCenterUsage.Engine.Reports.Data;

/// <summary>A file that cannot be read back as a license report: what is wrong with it, and where.</summary>
public sealed class LicenseReportFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LicenseReportFileException(LicenseReportFileProblem problem, string path, string message, long? line = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
        Path = path;
        Line = line;
    }

    /// <summary>What is wrong with the file.</summary>
    public LicenseReportFileProblem Problem { get; }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The line of the file where the problem was found, when it was found at one.</summary>
    public long? Line { get; }
}
