using System;
using System.Runtime.InteropServices;
using System.Security;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>The text of a secret given as a SecureString, whole.</summary>
internal static class SecretText
{
    /// <summary>
    /// Every character of <paramref name="secret"/>, as many as its Length. NetworkCredential's Password stops at the
    /// first NUL, so a token with one would be cut silently and sent short; this keeps it whole for the checks to refuse.
    /// </summary>
    public static string Reveal(SecureString secret)
    {
        var text = IntPtr.Zero;
        try
        {
            text = Marshal.SecureStringToGlobalAllocUnicode(secret);
            return Marshal.PtrToStringUni(text, secret.Length);
        }
        finally
        {
            if (text != IntPtr.Zero)
            {
                Marshal.ZeroFreeGlobalAllocUnicode(text);
            }
        }
    }
}
