namespace PartnerCenterUsage;

/// <summary>
/// The stable ErrorIds of the module. Scripts match on these (FullyQualifiedErrorId starts with them);
/// never rename one.
/// </summary>
public static class ErrorIds
{
    /// <summary>No Connect-PCPartner in this runspace.</summary>
    public const string NotConnected = "NotConnected";

    /// <summary>-Endpoint is not https (or http to loopback), or not a usable URL.</summary>
    public const string InvalidEndpoint = "InvalidEndpoint";

    /// <summary>-AccessToken is empty or not a token.</summary>
    public const string InvalidAccessToken = "InvalidAccessToken";

    /// <summary>Connect-PCPartner could not sign in (declined, wrong secret, expired refresh token...).</summary>
    public const string SignInFailed = "SignInFailed";

    /// <summary>The sign-in could not be renewed during a run (refresh token revoked or expired): connect again.</summary>
    public const string TokenRenewalFailed = "TokenRenewalFailed";

    /// <summary>The connection's token is App-only; the license analytics need App+User.</summary>
    public const string AppPlusUserRequired = "AppPlusUserRequired";

    /// <summary>Connect-PCPartner: the Secure Application Model's refresh token has expired (AADSTS700082: 90 days after it was issued).</summary>
    public const string RefreshTokenExpired = "RefreshTokenExpired";

    /// <summary>Connect-PCPartner: the refresh token was revoked, cut by a sign-in frequency policy, or is not valid (AADSTS50173, 70043, 70000).</summary>
    public const string RefreshTokenRevoked = "RefreshTokenRevoked";

    /// <summary>Connect-PCPartner -RefreshTokenVault: Get-Secret gave no refresh token (no SecretManagement, no such vault or secret).</summary>
    public const string RefreshTokenVaultReadFailed = "RefreshTokenVaultReadFailed";

    /// <summary>Parameters that contradict each other.</summary>
    public const string InvalidParameters = "InvalidParameters";

    /// <summary>A value of a parameter that takes wildcards is not a valid wildcard pattern ('[abc'): refused before any request.</summary>
    public const string InvalidWildcard = "InvalidWildcard";

    /// <summary>Get-PCLicenseUsage, Get-PCLicenseDeployment -Filter: parentheses or quotes that would break out of the group it is AND'd in; refused before any request.</summary>
    public const string InvalidFilter = "InvalidFilter";

    /// <summary>401: the token was refused.</summary>
    public const string AuthenticationFailed = "AuthenticationFailed";

    /// <summary>401 with code 900421: the token lacks MFA; or, at Connect-PCPartner, the sign-in service asks for MFA again (AADSTS50076, 50078).</summary>
    public const string MfaRequired = "MfaRequired";

    /// <summary>403: the partner may not read this customer.</summary>
    public const string AccessDenied = "AccessDenied";

    /// <summary>404 to a request about one customer: no such customer for this partner.</summary>
    public const string CustomerNotFound = "CustomerNotFound";

    /// <summary>404 to a request about no single customer (a listing, a report, a next page).</summary>
    public const string ResourceNotFound = "ResourceNotFound";

    /// <summary>400 and other 4xx: Partner Center refused the request.</summary>
    public const string RequestRejected = "RequestRejected";

    /// <summary>429: throttled.</summary>
    public const string Throttled = "Throttled";

    /// <summary>5xx: Partner Center failed.</summary>
    public const string ServiceError = "ServiceError";

    /// <summary>408, 504, or no answer in time.</summary>
    public const string RequestTimeout = "RequestTimeout";

    /// <summary>No HTTP answer: connection refused, reset or dropped.</summary>
    public const string ConnectionFailed = "ConnectionFailed";

    /// <summary>A failure the module did not foresee, reported on the input it happened to.</summary>
    public const string UnexpectedError = "UnexpectedError";

    /// <summary>A success answer whose body is not the documented JSON.</summary>
    public const string InvalidResponse = "InvalidResponse";

    /// <summary>Export-PCLicenseReport -NoClobber: the report file exists already.</summary>
    public const string ReportFileExists = "ReportFileExists";

    /// <summary>Export-PCLicenseReport: the report file is read-only and -Force was not given.</summary>
    public const string ReportFileReadOnly = "ReportFileReadOnly";

    /// <summary>Export-PCLicenseReport: -Path is not a file-system path, or its wildcards match several files.</summary>
    public const string ReportPathInvalid = "ReportPathInvalid";

    /// <summary>Export-PCLicenseReport: the report file could not be written (no such folder, a folder that takes no new file, a full disk...).</summary>
    public const string ReportWriteFailed = "ReportWriteFailed";

    /// <summary>Export-PCLicenseReport: -Path is a symbolic link, or a file with other names (hard links), which the report would break.</summary>
    public const string ReportPathIsLink = "ReportPathIsLink";

    /// <summary>Export-PCLicenseReport: -Path is a device, a named pipe or a socket, not a file.</summary>
    public const string ReportPathNotFile = "ReportPathNotFile";

    /// <summary>Export-PCLicenseReport: an input object that is none of the module's report rows (left out of the report).</summary>
    public const string UnsupportedReportInput = "UnsupportedReportInput";

    /// <summary>Import-PCLicenseReport, Export-PCLicenseReport -Baseline: no file at the path given.</summary>
    public const string ReportFileNotFound = "ReportFileNotFound";

    /// <summary>Import-PCLicenseReport, Export-PCLicenseReport -Baseline: the file carries no report data (not a report page, or one written before pages carried their figures).</summary>
    public const string ReportFileNotReport = "ReportFileNotReport";

    /// <summary>Import-PCLicenseReport, Export-PCLicenseReport -Baseline: the report was written by a newer version of the module, in a format this one does not read.</summary>
    public const string ReportFormatNotSupported = "ReportFormatNotSupported";

    /// <summary>Import-PCLicenseReport, Export-PCLicenseReport -Baseline: the report's data is cut short or not as the module writes it.</summary>
    public const string ReportFileDamaged = "ReportFileDamaged";

    /// <summary>Import-PCLicenseReport, Export-PCLicenseReport -Baseline: the file could not be read (access denied, a folder...).</summary>
    public const string ReportReadFailed = "ReportReadFailed";

    /// <summary>Export-PCLicenseReport -Baseline: an object that is neither a report file nor rows a report counts.</summary>
    public const string UnsupportedBaselineInput = "UnsupportedBaselineInput";

    /// <summary>The saved (persisted) token cache cannot be used or removed: no OS encrypted store, a locked keyring, no answer in time.</summary>
    public const string TokenCacheUnavailable = "TokenCacheUnavailable";
}
