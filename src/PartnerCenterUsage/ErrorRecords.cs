using System;
using System.Globalization;
using System.Management.Automation;
using PartnerCenterUsage.Engine;
using PartnerCenterUsage.Engine.Authentication;
using PartnerCenterUsage.Engine.Http;
using PartnerCenterUsage.Engine.Reports.Data;
using PartnerCenterUsage.Engine.Reports.Files;
using PartnerCenterUsage.Engine.Throttling;

namespace PartnerCenterUsage;

/// <summary>The one place that turns failures into ErrorRecords: ErrorId, category, target and advice.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord NotConnected() =>
        Create(
            new InvalidOperationException("You are not connected to Partner Center in this PowerShell session. Run Connect-PCPartner first."),
            ErrorIds.NotConnected,
            ErrorCategory.ConnectionError,
            target: null,
            recommendedAction: "Run Connect-PCPartner, then run this command again.");

    /// <summary>A failure the module did not foresee, about one input: reported on it, without a stack trace.</summary>
    public static ErrorRecord Unexpected(Exception exception, object? target, string activity) =>
        Create(exception, ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, target,
            "Try again; if it persists, report it with the command and the error message.",
            $"{activity} failed unexpectedly: {exception.GetType().Name}: {exception.Message}");

    /// <summary>Connect-PCPartner -RefreshTokenVault: the vault gave no refresh token.</summary>
    public static ErrorRecord RefreshTokenVaultReadFailed(string vault, string secretName, string reason) =>
        Create(new InvalidOperationException($"Could not read the refresh token '{secretName}' from the vault '{vault}': {reason}"),
            ErrorIds.RefreshTokenVaultReadFailed, ErrorCategory.ReadError, secretName,
            "Check the names with Get-SecretInfo -Vault <vault>. The vault needs Microsoft.PowerShell.SecretManagement and a registered vault " +
            "(Register-SecretVault); the first run can seed the secret: pass -RefreshToken together with -RefreshTokenVault.");

    /// <summary>Parameters that cannot go together.</summary>
    public static ErrorRecord InvalidParameters(string message, object? target) =>
        Create(new ArgumentException(message), ErrorIds.InvalidParameters, ErrorCategory.InvalidArgument, target, recommendedAction: null);

    /// <summary>A value of a wildcard parameter that is not a pattern ('[abc'), refused before any request.</summary>
    public static ErrorRecord InvalidWildcard(string parameterName, string value, WildcardPatternException exception) =>
        Create(exception, ErrorIds.InvalidWildcard, ErrorCategory.InvalidArgument, value,
            "Close each [ with a ] ('[ab]*' matches what starts with a or b), or put a backtick before a wildcard character to match it as written ('Contoso `[EU`]').",
            $"-{parameterName} '{value}' is not a valid wildcard pattern ({exception.Message}): nothing was asked of Partner Center.");

    /// <summary>-Filter that could break out of the group it is AND'd in, refused before any request.</summary>
    public static ErrorRecord InvalidFilter(CommercialFilterException exception) =>
        Create(exception, ErrorIds.InvalidFilter, ErrorCategory.InvalidArgument, exception.Filter,
            "Give -Filter conditions whose parentheses pair up outside the quoted values, each value in single quotes and a quote inside one doubled " +
            "(productName eq 'O''Brien (EU)'). -Filter is AND'd as one group with the module's own conditions (-CustomerId, the piped customers, the other filters).",
            $"-Filter is refused, and nothing was asked of Partner Center. {exception.Message}");

    /// <summary>Export-PCLicenseReport -NoClobber and the file exists.</summary>
    public static ErrorRecord ReportFileExists(string path) =>
        Create(new System.IO.IOException($"The file '{path}' already exists, and -NoClobber was given."), ErrorIds.ReportFileExists, ErrorCategory.ResourceExists, path,
            "Give another -Path, or leave out -NoClobber to overwrite the file.");

    /// <summary>Export-PCLicenseReport over a read-only file without -Force.</summary>
    public static ErrorRecord ReportFileReadOnly(string path) =>
        Create(new UnauthorizedAccessException($"The file '{path}' is read-only."), ErrorIds.ReportFileReadOnly, ErrorCategory.PermissionDenied, path,
            "Add -Force to overwrite a read-only file, or give another -Path.");

    /// <summary>A report path that is not a file of the file system.</summary>
    public static ErrorRecord ReportPathInvalid(string path, string reason) =>
        Create(new ArgumentException($"Export-PCLicenseReport cannot write the report to '{path}': {reason}"), ErrorIds.ReportPathInvalid, ErrorCategory.InvalidArgument, path,
            "Give -Path (or -LiteralPath) one file of the file system, such as ./report.html.");

    /// <summary>The report file could not be written.</summary>
    public static ErrorRecord ReportWriteFailed(Exception exception, string path) =>
        Create(exception, ErrorIds.ReportWriteFailed, ErrorCategory.WriteError, path, recommendedAction: null,
            $"Could not write the report to '{path}': {exception.Message}");

    /// <summary>A path Export-PCLicenseReport does not write its report to, found before any row is read or just before the page replaces it.</summary>
    public static ErrorRecord ReportTargetRefused(ReportTargetException exception) => exception.Problem switch
    {
        ReportTargetProblem.SymbolicLink => Create(exception, ErrorIds.ReportPathIsLink, ErrorCategory.InvalidArgument, exception.Path,
            "Give -Path the file the link points to, or another file: the report replaces the file at -Path, which would replace the link itself."),
        ReportTargetProblem.HardLink => Create(exception, ErrorIds.ReportPathIsLink, ErrorCategory.InvalidArgument, exception.Path,
            "Give -Path another file, or remove the file's other names first: the report replaces the file at -Path, and its other names would keep the old report."),
        ReportTargetProblem.NotAFile => Create(exception, ErrorIds.ReportPathNotFile, ErrorCategory.InvalidArgument, exception.Path,
            "Give -Path a file, such as ./report.html: the report is a page to keep, open or mail, and is not written to a device, a pipe or a socket."),
        ReportTargetProblem.FolderNotWritable => Create(exception, ErrorIds.ReportWriteFailed, ErrorCategory.WriteError, exception.Path,
            "Give -Path a file in a folder this account can write to. No row was fetched.",
            $"Could not write the report to '{exception.Path}': {exception.Message}"),
        _ => ReportWriteFailed(exception, exception.Path),
    };

    /// <summary>No file at a path a report was to be read from.</summary>
    public static ErrorRecord ReportFileNotFound(string path) =>
        Create(new ItemNotFoundException($"There is no report file '{path}'."), ErrorIds.ReportFileNotFound, ErrorCategory.ObjectNotFound, path,
            "Check the path; Get-ChildItem lists the reports a folder holds.");

    /// <summary>A file that cannot be read back as a report: not one, of a newer format, or damaged.</summary>
    public static ErrorRecord ReportFileUnreadable(LicenseReportFileException exception) => exception.Problem switch
    {
        LicenseReportFileProblem.NotAReport => Create(exception, ErrorIds.ReportFileNotReport, ErrorCategory.InvalidData, exception.Path,
            "Give a page written by Export-PCLicenseReport. A page written before reports carried their figures cannot be read back: keep this month's report, and compare with it next month."),
        LicenseReportFileProblem.NewerFormat => Create(exception, ErrorIds.ReportFormatNotSupported, ErrorCategory.InvalidData, exception.Path,
            "Update the module (Update-Module PartnerCenterUsage) to read reports of newer versions."),
        _ => Create(exception, ErrorIds.ReportFileDamaged, ErrorCategory.InvalidData, exception.Path,
            "Use a complete, unchanged copy of the report, or write the report again from the service's data."),
    };

    /// <summary>A report file that could not be read at all (access denied, a folder, an I/O error).</summary>
    public static ErrorRecord ReportReadFailed(Exception exception, string path) =>
        Create(exception, ErrorIds.ReportReadFailed, ErrorCategory.ReadError, path, recommendedAction: null,
            $"Could not read the report '{path}': {exception.Message}");

    /// <summary>An object Export-PCLicenseReport -Baseline cannot compare with.</summary>
    public static ErrorRecord UnsupportedBaselineInput(PSObject input, bool grouped)
    {
        var typeName = (grouped || input.BaseObject is PSCustomObject) && input.TypeNames.Count > 0 ? input.TypeNames[0] : input.BaseObject.GetType().FullName;
        var reason = grouped
            ? "it is a row of -GroupBy, a sum without a customer"
            : input.BaseObject is PSCustomObject
                ? "its values are text (Import-Csv, Select-Object) rather than the module's typed rows or a report's figures"
                : "-Baseline takes earlier reports (their paths, or Import-PCLicenseReport's figures) and the rows of an earlier processed date (Get-PCLicenseUsage, Get-PCLicenseDeployment -ProcessedDateTime)";
        return Create(
            new ArgumentException($"Export-PCLicenseReport -Baseline cannot compare with an object of type {typeName}: {reason}. The comparison goes on without it."),
            ErrorIds.UnsupportedBaselineInput,
            ErrorCategory.InvalidType,
            input.BaseObject,
            "Give -Baseline the path of an earlier report (Get-ChildItem ./reports/*.html), the figures Import-PCLicenseReport reads from one, or the rows of an earlier processed date.");
    }

    /// <summary>An input object Export-PCLicenseReport cannot report on.</summary>
    /// <param name="input">What came down the pipeline.</param>
    /// <param name="grouped">Whether it is a row of -GroupBy (of a report type, but a sum without its customer).</param>
    public static ErrorRecord UnsupportedReportInput(PSObject input, bool grouped)
    {
        // A grouped row or a PSCustomObject (Import-Csv's rows, deserialized objects) is named by its PowerShell type name, which says where it came from.
        var typeName = (grouped || input.BaseObject is PSCustomObject) && input.TypeNames.Count > 0 ? input.TypeNames[0] : input.BaseObject.GetType().FullName;
        var (reason, advice) = RefusedReportInput(typeName, grouped, input.BaseObject is PSCustomObject);
        return Create(
            new ArgumentException($"Export-PCLicenseReport cannot report on an object of type {typeName}: {reason}. The report goes on without it."),
            ErrorIds.UnsupportedReportInput,
            ErrorCategory.InvalidType,
            input.BaseObject,
            recommendedAction: advice);
    }

    /// <summary>Why a report input is refused, and what to give instead (none for an object of another kind altogether).</summary>
    private static (string Reason, string? Advice) RefusedReportInput(string typeName, bool grouped, bool isCustomObject)
    {
        if (grouped)
        {
            return ("it is a row of -GroupBy, a sum without a customer, which the report would count again",
                "Give Export-PCLicenseReport the rows without -GroupBy: it sums them per customer, workload and product itself.");
        }

        if (typeName.StartsWith("Deserialized.", StringComparison.Ordinal))
        {
            return ("it is a deserialized copy (from a job, remoting or Import-Clixml), not the module's object",
                "Run Export-PCLicenseReport in the session (or the job) that gets the rows.");
        }

        // Import-Csv's rows (CSV:<type> when the file kept its type line) and Select-Object's copies.
        return isCustomObject
            ? ("its values are text (Import-Csv, Select-Object) rather than the module's typed rows",
                "Pipe the rows of the module's Get- commands to Export-PCLicenseReport before they are selected or exported.")
            : ("it takes the rows of Get-PCLicenseUsage, Get-PCCustomerLicenseUsage, Get-PCLicenseDeployment, Get-PCCustomerLicenseDeployment, Get-PCCustomerSubscribedSku and Get-PCLicenseReduction", null);
    }

    /// <summary>
    /// True for failures that doom every later request of the run, so the cmdlet stops once instead of failing each
    /// customer in turn: a sign-in that cannot be renewed, an App-only token, and a token Partner Center refuses (401,
    /// MFA missing included) after the connection tried to renew it.
    /// </summary>
    public static bool IsTerminating(PartnerCenterException exception) =>
        exception is PartnerCenterSignInException or PartnerCenterAppOnlyTokenException or PartnerCenterApiException { StatusCode: 401 };

    /// <summary>An engine failure about <paramref name="target"/> (a customer id, an endpoint).</summary>
    /// <param name="exception">What the engine threw.</param>
    /// <param name="target">What failed: TargetObject of the record.</param>
    /// <param name="activity">What was being done, for the start of the message ("Getting license usage of customer …").</param>
    /// <param name="hasThrottleLimit">True when the command has -ThrottleLimit, which the advice about throttling may name.</param>
    public static ErrorRecord FromEngine(PartnerCenterException exception, object? target, string activity, bool hasThrottleLimit = false)
    {
        var (errorId, category, advice) = Classify(exception);
        if (hasThrottleLimit && errorId == ErrorIds.Throttled)
        {
            advice += " -ThrottleLimit lowers the requests sent at once.";
        }

        return Create(exception, errorId, category, target, advice, $"{activity} failed. {exception.Message}");
    }

    private static (string ErrorId, ErrorCategory Category, string? Advice) Classify(PartnerCenterException exception) => exception switch
    {
        PartnerCenterApiException api => Classify(api),
        PartnerCenterThrottledException throttled => (ErrorIds.Throttled, ErrorCategory.LimitsExceeded, ThrottleAdvice(throttled.ThrottleShortfall)),
        PartnerCenterInvalidResponseException { IsTooLarge: true } => (ErrorIds.InvalidResponse, ErrorCategory.InvalidResult,
            "If Partner Center's answers are really this large, raise the cap with Connect-PCPartner -MaxResponseSize."),
        PartnerCenterInvalidResponseException => (ErrorIds.InvalidResponse, ErrorCategory.InvalidResult,
            "Partner Center sent an answer the module cannot read. Try again; if it persists, report it with the MS-RequestId."),
        PartnerCenterTransportException { IsTimeout: true } => (ErrorIds.RequestTimeout, ErrorCategory.OperationTimeout,
            "Try again later."),
        PartnerCenterTransportException => (ErrorIds.ConnectionFailed, ErrorCategory.ConnectionError,
            "Check the network connection and the endpoint shown by Get-PCContext."),
        PartnerCenterEndpointException => (ErrorIds.InvalidEndpoint, ErrorCategory.InvalidArgument,
            "Use an https endpoint; plain http is allowed only to localhost."),
        PartnerCenterSignInException { DuringRenewal: true, Failure: not SignInFailure.Other } signIn => (ErrorIds.TokenRenewalFailed, ErrorCategory.AuthenticationError,
            "Run Connect-PCPartner again. " + RefreshTokenAdvice.For(signIn.Failure)),
        PartnerCenterSignInException { Failure: SignInFailure.RefreshTokenExpired } => (ErrorIds.RefreshTokenExpired, ErrorCategory.AuthenticationError,
            RefreshTokenAdvice.For(SignInFailure.RefreshTokenExpired)),
        PartnerCenterSignInException { Failure: SignInFailure.RefreshTokenRevoked } => (ErrorIds.RefreshTokenRevoked, ErrorCategory.AuthenticationError,
            RefreshTokenAdvice.For(SignInFailure.RefreshTokenRevoked)),
        PartnerCenterSignInException { Failure: SignInFailure.MfaRequired } => (ErrorIds.MfaRequired, ErrorCategory.AuthenticationError,
            RefreshTokenAdvice.For(SignInFailure.MfaRequired)),
        PartnerCenterSignInException { Failure: SignInFailure.NoSavedSignIn } => (ErrorIds.SignInFailed, ErrorCategory.AuthenticationError,
            RefreshTokenAdvice.For(SignInFailure.NoSavedSignIn)),
        PartnerCenterSignInException { DuringRenewal: true } => (ErrorIds.TokenRenewalFailed, ErrorCategory.AuthenticationError,
            "Run Connect-PCPartner again. For unattended runs, obtain a new refresh token with an MFA sign-in and pass it to -RefreshToken."),
        PartnerCenterSignInException { BrowserUnavailable: true } => (ErrorIds.SignInFailed, ErrorCategory.AuthenticationError,
            "Sign in with Connect-PCPartner -UseDeviceAuthentication instead: it shows a code to enter on any device with a browser."),
        PartnerCenterSignInException => (ErrorIds.SignInFailed, ErrorCategory.AuthenticationError,
            "Check the application id, tenant, secret or certificate, and that the user completed the sign-in with MFA."),
        PartnerCenterTokenCacheException cache => (ErrorIds.TokenCacheUnavailable, cache.TimedOut ? ErrorCategory.OperationTimeout : ErrorCategory.ResourceUnavailable,
            TokenCacheAdvice),
        PartnerCenterAppOnlyTokenException => (ErrorIds.AppPlusUserRequired, ErrorCategory.AuthenticationError,
            "Connect as a user: Connect-PCPartner (browser), -UseDeviceAuthentication, or the Secure Application Model with -RefreshToken."),
        PartnerCenterTokenException => (ErrorIds.InvalidAccessToken, ErrorCategory.InvalidArgument,
            "Pass the access token itself: one unbroken string, with or without a leading 'Bearer '."),
        // Every engine failure is one of the types above; one added without a mapping is a bug, reported as such.
        _ => (ErrorIds.UnexpectedError, ErrorCategory.NotSpecified, "This is a bug in PartnerCenterUsage: please report it with the message above."),
    };

    /// <summary>What to do when the OS's encrypted store cannot hold the saved sign-in.</summary>
    public const string TokenCacheAdvice =
        "On Linux, install and unlock a keyring (Debian: apt-get install gnome-keyring libsecret-1-0, in a desktop or D-Bus session); " +
        "where no keyring can run, -AllowUnencryptedTokenCache saves it in a file readable by you only (see about_PartnerCenterUsage).";

    private static (string ErrorId, ErrorCategory Category, string? Advice) Classify(PartnerCenterApiException api) => api.StatusCode switch
    {
        401 when api.ErrorCode == PartnerCenterErrorCodes.MfaRequired => (ErrorIds.MfaRequired, ErrorCategory.AuthenticationError,
            "Partner Center requires a token obtained with multi-factor authentication. Sign in again with MFA and run Connect-PCPartner."),
        401 => (ErrorIds.AuthenticationFailed, ErrorCategory.AuthenticationError,
            "The access token was refused or has expired. Run Connect-PCPartner with a new App+User token."),
        403 when api.CustomerId is not null => (ErrorIds.AccessDenied, ErrorCategory.PermissionDenied,
            "Check that the signed-in user has an Admin Agent or Sales Agent role and that the partner resells to this customer."),
        403 => (ErrorIds.AccessDenied, ErrorCategory.PermissionDenied,
            "Check that the signed-in user has an Admin Agent or Sales Agent role in the partner's tenant."),
        // Partner Center's own 404 about the customer: with its error body, or empty (Microsoft documents empty 404s)
        // but with Partner Center's MS-CV header; a bare 404 (a route a gateway does not know) is no verdict on it.
        404 when api.CustomerId is not null && (api.HasErrorBody || api.CorrelationVector is not null) => (ErrorIds.CustomerNotFound, ErrorCategory.ObjectNotFound,
            "Check the customer id: it must be a customer of the signed-in partner."),
        404 => (ErrorIds.ResourceNotFound, ErrorCategory.ObjectNotFound,
            "Partner Center does not know this resource here. Check -Endpoint (Get-PCContext), and try again later if it should exist."),
        408 or 504 => (ErrorIds.RequestTimeout, ErrorCategory.OperationTimeout, "Try again later."),
        429 when api.ThrottleShortfall is { } shortfall => (ErrorIds.Throttled, ErrorCategory.LimitsExceeded, ThrottleAdvice(shortfall)),
        429 => (ErrorIds.Throttled, ErrorCategory.LimitsExceeded,
            (api.RetryAfter is { } wait ? $"Partner Center throttled the request; wait {Math.Ceiling(wait.TotalSeconds)} s and try again." : "Partner Center throttled the request; wait and try again.")
            + " Connect-PCPartner -MaxThrottleWait sets how long a run waits out throttling in all."),
        >= 500 => (ErrorIds.ServiceError, ErrorCategory.ResourceUnavailable,
            "Partner Center failed to answer. Try again later; if it persists, open a support case with the MS-RequestId and MS-CorrelationId."),
        _ => (ErrorIds.RequestRejected, ErrorCategory.InvalidOperation, null),
    };

    // A request given up because the wait Partner Center asked for was more than the run's throttling budget had left.
    private static string ThrottleAdvice(ThrottleShortfall shortfall) => string.Format(
        CultureInfo.InvariantCulture,
        "Run the command again in {0:0} s or later, or connect with a longer Connect-PCPartner -MaxThrottleWait (it is {1} now) so that a run waits out throttling this long.",
        Math.Ceiling(shortfall.Needed.TotalSeconds),
        shortfall.Budget >= TimeSpan.FromMinutes(1) && shortfall.Budget.Ticks % TimeSpan.TicksPerMinute == 0
            ? string.Format(CultureInfo.InvariantCulture, "{0:0} min", shortfall.Budget.TotalMinutes)
            : string.Format(CultureInfo.InvariantCulture, "{0:0.#} s", shortfall.Budget.TotalSeconds));

    private static ErrorRecord Create(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction, string? message = null)
    {
        var record = new ErrorRecord(exception, errorId, category, target);
        if (message is not null || recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(message ?? exception.Message) { RecommendedAction = recommendedAction };
        }

        return record;
    }
}
