#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The help's examples (docs/cmdlets) as a user runs them in a real pwsh, with the real Export-Csv, Sort-Object and
    Get-Content, against the built simulator: the examples DocumentedExampleTests runs in the hosted engine with
    stand-ins for those, picked by the same code (Get-DocumentedExample), so an example marked as needing a real tenant is
    left out of both. Each runs as written, but for the simulator's address, and writes no error.
#>

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Examples = @(Get-DocumentedExample | ForEach-Object { @{ Name = $_.Name; Code = $_.Code } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Simulator = Start-TestSimulator -Customers 30
    Import-Module (Get-BuiltModule) -Force
}

AfterAll {
    Disconnect-PCPartner -ErrorAction SilentlyContinue
    Stop-TestSimulator $script:Simulator
}

Describe 'The help''s examples' {
    It 'are found, and those that need a real tenant left out' {
        $runnable = @(Get-DocumentedExample)
        $runnable.Count | Should -BeGreaterOrEqual 11
        @(Get-DocumentedExample -All).Count | Should -BeGreaterThan $runnable.Count
    }

    It '<Name> runs against the simulator without an error' -ForEach $script:Examples {
        # As in the hosted test: connected to the simulator (an example may disconnect), in a folder of its own that holds
        # a file of five customer ids, with the simulator's address in place of the one the help shows.
        Connect-PCPartner -AccessToken simulator-token -Endpoint $script:Simulator.Endpoint | Out-Null
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive ([guid]::NewGuid().ToString('N')))
        Set-Content -Path (Join-Path $folder 'customers.txt') -Value (Get-PCCustomer | Select-Object -First 5).CustomerId
        $script = $Code.Replace('http://127.0.0.1:5980', $script:Simulator.Endpoint)
        Push-Location $folder
        try {
            # As in a user's session: an error is written, not thrown, and every one counts.
            $ErrorActionPreference = 'Continue'
            $Error.Clear()
            $null = & ([scriptblock]::Create($script)) 2>&1
            @($Error) | Should -BeNullOrEmpty -Because "$Name`n$script"
        }
        finally { Pop-Location }
    }
}
