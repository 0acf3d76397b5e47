# Build Steelman's Windows installer: PyInstaller bundle, then Inno Setup.
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build.ps1
#
# Needs: Python 3.11 (x64) on PATH as `py -3.11` or `python`, and Inno Setup 6
# (iscc.exe on PATH or in its default folder; `choco install innosetup`).
# Output in packaging\dist\:
#   steelman\                                 the one-folder bundle (steelman.exe, steelman-cli.exe)
#   Steelman-<version>-windows-x64-setup.exe  the per-user installer
#   Steelman-<version>-windows-x64-portable.zip   the bundle with an empty steelman-data\ (USB sticks)
# Then runs `steelman-cli.exe --smoke` offscreen (skip with -NoSmoke).
param(
    [switch]$NoSmoke,
    [string]$Python = ""
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Resolve-Path (Join-Path $PSScriptRoot "..\..")
$Build = Join-Path $Root "packaging\build"
$Dist = Join-Path $Root "packaging\dist"
$Venv = Join-Path $Build "venv-windows"
New-Item -ItemType Directory -Force -Path $Build, $Dist | Out-Null
$clock = [Diagnostics.Stopwatch]::StartNew()

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

# --- build venv: a plain (non-editable) install of the project and PyInstaller
if (-not (Test-Path (Join-Path $Venv "Scripts\python.exe"))) {
    if ($Python) { Invoke-Checked $Python @("-m", "venv", $Venv) }
    elseif (Get-Command py -ErrorAction SilentlyContinue) { Invoke-Checked "py" @("-3.11", "-m", "venv", $Venv) }
    else { Invoke-Checked "python" @("-m", "venv", $Venv) }
}
$Py = Join-Path $Venv "Scripts\python.exe"
Push-Location $Root
try {
    Invoke-Checked $Py @("-m", "pip", "install", "-q", "--disable-pip-version-check", "--upgrade", "pip")
    Invoke-Checked $Py @("-m", "pip", "install", "-q", "--disable-pip-version-check", ".[packaging]")
    Invoke-Checked $Py @("-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps", "--force-reinstall", ".")
} finally { Pop-Location }
$Version = (& $Py -c "import trainer; print(trainer.__version__)").Trim()
$tVenv = $clock.Elapsed.TotalSeconds

# --- bundle (run from packaging\build so the spec imports the installed wheel, not the checkout)
Push-Location $Build
try {
    Invoke-Checked $Py @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", $Dist, "--workpath", (Join-Path $Build "pyinstaller"),
        (Join-Path $Root "packaging\pyinstaller\steelman.spec"))
} finally { Pop-Location }
$Bundle = Join-Path $Dist "steelman"
$tBundle = $clock.Elapsed.TotalSeconds - $tVenv

# --- smoke: the console twin prints the smoke line
if (-not $NoSmoke) {
    $env:QT_QPA_PLATFORM = "offscreen"
    $smokeData = Join-Path $Build "smoke-data"
    if (Test-Path $smokeData) { Remove-Item -Recurse -Force $smokeData }
    Invoke-Checked (Join-Path $Bundle "steelman-cli.exe") @("--smoke", "--data-dir", $smokeData)
    Remove-Item Env:\QT_QPA_PLATFORM
}

# --- installer
$Iscc = (Get-Command iscc.exe -ErrorAction SilentlyContinue).Source
if (-not $Iscc) {
    foreach ($candidate in @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe", "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe")) {
        if (Test-Path $candidate) { $Iscc = $candidate; break }
    }
}
if (-not $Iscc) { throw "Inno Setup 6 (iscc.exe) not found: choco install innosetup, or https://jrsoftware.org/isdl.php" }
Invoke-Checked $Iscc @("/Q", "/DAppVersion=$Version", "/DSourceDir=$Bundle", "/DOutputDir=$Dist", (Join-Path $PSScriptRoot "steelman.iss"))
$Setup = Join-Path $Dist "Steelman-$Version-windows-x64-setup.exe"

# --- portable zip: the bundle plus an empty steelman-data folder
$Stage = Join-Path $Build "portable\Steelman"
if (Test-Path (Split-Path $Stage)) { Remove-Item -Recurse -Force (Split-Path $Stage) }
Copy-Item -Recurse $Bundle $Stage
New-Item -ItemType Directory -Force -Path (Join-Path $Stage "steelman-data") | Out-Null
Set-Content -Path (Join-Path $Stage "steelman-data\README.txt") -Value "Steelman keeps its database and settings in this folder (portable mode). Delete the folder to use the normal per-user location instead."
$Zip = Join-Path $Dist "Steelman-$Version-windows-x64-portable.zip"
if (Test-Path $Zip) { Remove-Item $Zip }
Compress-Archive -Path $Stage -DestinationPath $Zip -CompressionLevel Optimal

function Get-SizeMB($Path) {
    $item = Get-Item $Path
    if ($item.PSIsContainer) { $bytes = (Get-ChildItem -Recurse -File $Path | Measure-Object -Sum Length).Sum }
    else { $bytes = $item.Length }
    return [math]::Round($bytes / 1MB, 1)
}
Write-Host ""
Write-Host "== summary"
Write-Host ("  bundle     {0,7} MB  {1}" -f (Get-SizeMB $Bundle), $Bundle)
Write-Host ("  installer  {0,7} MB  {1}" -f (Get-SizeMB $Setup), $Setup)
Write-Host ("  portable   {0,7} MB  {1}" -f (Get-SizeMB $Zip), $Zip)
Write-Host ("  times: venv {0:N1} s, bundle {1:N1} s, total {2:N1} s" -f $tVenv, $tBundle, $clock.Elapsed.TotalSeconds)
