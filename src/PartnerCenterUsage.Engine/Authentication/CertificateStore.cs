using System.Security.Cryptography.X509Certificates;

namespace PartnerCenterUsage.Engine.Authentication;

/// <summary>Finds an application's certificate by thumbprint: the user's store first, then the machine's.</summary>
public static class CertificateStore
{
    /// <summary>The certificate with a private key and that thumbprint.</summary>
    /// <exception cref="PartnerCenterSignInException">No such certificate, or no private key.</exception>
    public static X509Certificate2 FindByThumbprint(string thumbprint)
    {
        var wanted = (thumbprint ?? string.Empty).Replace(" ", string.Empty).Trim();
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            using var store = new X509Store(StoreName.My, location);
            try
            {
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                continue;
            }

            foreach (var certificate in store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false))
            {
                if (certificate.HasPrivateKey)
                {
                    return certificate;
                }
            }
        }

        throw new PartnerCenterSignInException(
            $"No certificate with thumbprint {wanted} and a private key is in the CurrentUser\\My or LocalMachine\\My store.", duringRenewal: false);
    }
}
