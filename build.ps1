#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests, documents and packages PartnerCenterUsage, for pwsh users.
.DESCRIPTION
    Clean    removes out/ and the build output.
    Build    dotnet build of the module: assembles the importable module in <OutputDirectory>/PartnerCenterUsage (help
             included).
    Test     dotnet test (the xunit suite), then the Pester suite of tests/Pester in the pwsh that runs this script,
             with the Pester that the build restores from its NuGet package into out/modules (no Gallery needed).
    Docs     compiles docs/cmdlets with platyPS (New-ExternalHelp) into <OutputDirectory>/PartnerCenterUsage/en-US; the
             build already compiles the same markdown without platyPS, so this is for checking it against platyPS.
             platyPS comes from the PowerShell Gallery (or -Repository); when it cannot be had, the step is skipped and the
             summary says so.
    Package  <OutputDirectory>/package/PartnerCenterUsage.<version>.nupkg, published through a local repository that is
             registered for the step and removed after it, installable with Install-PSResource or Install-Module.
    Screenshot  runs the README's main command, which writes the sample portfolio's report to out/license-report.html,
             and has headless Chromium (Debian's chromium, or PCU_CHROMIUM) photograph its top into
             docs/images/license-report.png, the picture the README shows: the headline figures and the section
             that compares them with last month's report.
    Tasks may be given as an array (-Task Build, Package) or, as `pwsh -File` passes them, as one comma-separated string.
    dotnet runs without build servers, so nothing of the build outlives it (a pipe such as `| Tee-Object` returns).
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Clean, Build, Test, Docs, Package
.EXAMPLE
    pwsh -File ./build.ps1 -Task Build,Package -OutputDirectory /tmp/pcu
.EXAMPLE
    ./build.ps1 -Task Docs -Repository https://nuget.contoso.example/v3/index.json
#>
[CmdletBinding()]
param(
    # Not a ValidateSet: `pwsh -File build.ps1 -Task Build,Package` passes 'Build,Package' as one string.
    [ArgumentCompletions('Clean', 'Build', 'Test', 'Docs', 'Package', 'Screenshot')]
    [ValidateScript({ -not (($_ -split ',').Trim() | Where-Object { $_ -notin 'Clean', 'Build', 'Test', 'Docs', 'Package', 'Screenshot' }) },
        ErrorMessage = "'{0}' is not a list of tasks: use Clean, Build, Test, Docs, Package and Screenshot.")]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Where the module and the package are assembled; out/ by default.
    [string] $OutputDirectory = (Join-Path $PSScriptRoot 'out'),

    # Where -Task Docs installs platyPS from when it is missing: a registered repository's name, or a feed's URI or
    # folder (registered for the install only). The PowerShell Gallery by default.
    [string] $Repository = 'PSGallery'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$Task = @($Task -split ',' | ForEach-Object Trim)
$OutputDirectory = [System.IO.Path]::GetFullPath($OutputDirectory)
$moduleDir = Join-Path $OutputDirectory 'PartnerCenterUsage'
$packageDir = Join-Path $OutputDirectory 'package'
$moduleProject = Join-Path $root 'src' 'PartnerCenterUsage' 'PartnerCenterUsage.csproj'
$platyPSVersion = '0.14.2'
$skipped = [System.Collections.Generic.List[string]]::new()
$built = $false

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    if (-not $script:built) {
        Invoke-Dotnet build $moduleProject -c $Configuration --disable-build-servers "-p:ModuleOutputDir=$moduleDir$([System.IO.Path]::DirectorySeparatorChar)"
        $script:built = $true
        Write-Host "Module: $moduleDir" -ForegroundColor Green
    }
}

# Imports a pinned module, installing it from -Repository (the PowerShell Gallery) when it is missing. False when it
# cannot be had.
function Use-GalleryModule {
    param([string] $Name, [string] $Version)
    if (-not (Get-Module -ListAvailable -Name $Name | Where-Object { $_.Version -eq [version]$Version })) {
        $from = if ($Repository -eq 'PSGallery') { 'the PowerShell Gallery' } else { $Repository }
        # A feed given by its URI or folder is registered for this install only, under a name nobody else uses.
        $uri = $null
        $registered = if ([uri]::TryCreate($Repository, [System.UriKind]::Absolute, [ref] $uri)) {
            'PartnerCenterUsageBuild' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        }
        $source = if ($registered) { $registered } else { $Repository }
        $resourceGet = [bool](Get-Command Install-PSResource -ErrorAction SilentlyContinue)
        try {
            Write-Host "Installing $Name $Version from $from..." -ForegroundColor Cyan
            if ($resourceGet) {
                if ($registered) { Register-PSResourceRepository -Name $registered -Uri $Repository -Trusted }
                Install-PSResource -Name $Name -Version $Version -Repository $source -Scope CurrentUser -TrustRepository -Quiet -ErrorAction Stop
            }
            else {
                if ($registered) { Register-PSRepository -Name $registered -SourceLocation $Repository -InstallationPolicy Trusted }
                Install-Module -Name $Name -RequiredVersion $Version -Repository $source -Scope CurrentUser -Force -ErrorAction Stop
            }
        }
        catch {
            Write-Warning "$Name $Version is not installed and $from could not be reached: $($_.Exception.Message)"
            return $false
        }
        finally {
            if ($registered -and $resourceGet) { Unregister-PSResourceRepository -Name $registered -ErrorAction SilentlyContinue }
            elseif ($registered) { Unregister-PSRepository -Name $registered -ErrorAction SilentlyContinue }
        }
    }

    Import-Module -Name $Name -RequiredVersion $Version -Force
    return $true
}

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw 'The .NET SDK (dotnet) is required: see global.json for the version.'
}

foreach ($step in $Task) {
    switch ($step) {
        'Clean' {
            Invoke-Dotnet clean (Join-Path $root 'PartnerCenterUsage.sln') -c $Configuration --disable-build-servers
            Remove-Item -Recurse -Force $OutputDirectory -ErrorAction SilentlyContinue
            $built = $false
        }
        'Build' {
            Invoke-Build
        }
        'Test' {
            # The xunit suite; its own run of the Pester suite (in the pinned pwsh) is left out, because the Pester suite
            # runs next in this pwsh, the one you use.
            Invoke-Dotnet test (Join-Path $root 'PartnerCenterUsage.sln') -c $Configuration --disable-build-servers --filter 'FullyQualifiedName!~PesterSuiteTests'
            & (Join-Path $root 'tests' 'Pester' 'Invoke-PesterSuite.ps1') -ModulePath (Join-Path $root 'out' 'PartnerCenterUsage' 'PartnerCenterUsage.psd1')
            if ($LASTEXITCODE -ne 0) { throw "The Pester suite failed: $LASTEXITCODE failure(s)." }
        }
        'Docs' {
            Invoke-Build
            if (Use-GalleryModule -Name platyPS -Version $platyPSVersion) {
                $pages = Get-ChildItem (Join-Path $root 'docs' 'cmdlets') -Filter '*.md' |
                    Where-Object { $_.Name -like '*-*.md' -or $_.Name -like 'about_*.md' }
                New-ExternalHelp -Path $pages.FullName -OutputPath (Join-Path $moduleDir 'en-US') -Force | Out-Null
                Write-Host "Help compiled by platyPS into $(Join-Path $moduleDir 'en-US')" -ForegroundColor Green
            }
            else {
                $skipped.Add("platyPS help (platyPS $platyPSVersion unavailable); the build's own compilation of docs/cmdlets stands")
            }
        }
        'Package' {
            Invoke-Build
            New-Item -ItemType Directory -Force -Path $packageDir | Out-Null
            Get-ChildItem $packageDir -Filter 'PartnerCenterUsage.*.nupkg' | Remove-Item -Force
            # A repository of this step only, under a name nobody else uses, removed whatever happens.
            $repository = 'PartnerCenterUsageBuild' + [guid]::NewGuid().ToString('N').Substring(0, 8)
            if (Get-Command Publish-PSResource -ErrorAction SilentlyContinue) {
                Register-PSResourceRepository -Name $repository -Uri $packageDir -Trusted
                try { Publish-PSResource -Path $moduleDir -Repository $repository }
                finally { Unregister-PSResourceRepository -Name $repository }
            }
            else {
                Register-PSRepository -Name $repository -SourceLocation $packageDir -PublishLocation $packageDir -InstallationPolicy Trusted
                try { Publish-Module -Path $moduleDir -Repository $repository -NuGetApiKey 'local' }
                finally { Unregister-PSRepository -Name $repository }
            }

            $package = Get-ChildItem $packageDir -Filter 'PartnerCenterUsage.*.nupkg' | Select-Object -First 1
            Write-Host "Package: $($package.FullName)" -ForegroundColor Green
            Write-Host "Install it with: Register-PSResourceRepository -Name Local -Uri '$packageDir' -Trusted; Install-PSResource PartnerCenterUsage -Repository Local" -ForegroundColor Green
        }
        'Screenshot' {
            $browser = @($env:PCU_CHROMIUM, '/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/google-chrome') |
                Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
            if (-not $browser) { throw 'Screenshot needs Chromium: apt-get install chromium, or set PCU_CHROMIUM.' }
            $report = Join-Path $OutputDirectory 'license-report.html'
            $picture = Join-Path $root 'docs' 'images' 'license-report.png'
            Invoke-Dotnet run --project (Join-Path $root 'src' 'PartnerCenterUsage.Runner') -c $Configuration -- -ReportPath $report
            New-Item -ItemType Directory -Force -Path (Split-Path $picture) | Out-Null
            $arguments = @('--headless', '--disable-gpu', '--hide-scrollbars', '--window-size=1100,2300', "--screenshot=$picture",
                [System.Uri]::new($report, [System.UriKind]::Absolute).AbsoluteUri)
            if ([Environment]::UserName -eq 'root') { $arguments = @('--no-sandbox') + $arguments }
            & $browser @arguments 2>&1 | Out-Null
            if (-not (Test-Path $picture)) { throw "$browser made no screenshot of $report." }
            Write-Host "Screenshot of $report in $picture" -ForegroundColor Green
        }
    }
}

if ($skipped.Count -gt 0) {
    Write-Warning ("Skipped: " + ($skipped -join '; ') + '.')
}
