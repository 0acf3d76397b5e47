; Inno Setup script for Steelman: a per-user install, no administrator rights.
;
; Built by packaging/windows/build.ps1 (PyInstaller first, then iscc), or by hand:
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\dist\steelman /DOutputDir=..\dist packaging\windows\steelman.iss
; Output: packaging\dist\Steelman-<version>-windows-x64-setup.exe
;
; Installs to %LOCALAPPDATA%\Programs\Steelman, adds a Start-menu entry (and an
; optional desktop icon), registers an uninstaller under "Apps & features" for
; the current user only. No network access, no services, nothing machine-wide.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#ifndef SourceDir
  #define SourceDir "..\dist\steelman"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif

[Setup]
; A fixed AppId keeps upgrades and the uninstaller tied to the same entry. Never change it.
AppId={{6C1D7E2A-5B8F-4C6E-9A31-2F4E8D0B7C55}
AppName=Steelman
AppVersion={#AppVersion}
AppVerName=Steelman {#AppVersion}
AppPublisher=Steelman developers
AppComments=Offline trainer for debaters
DefaultDirName={localappdata}\Programs\Steelman
DefaultGroupName=Steelman
DisableProgramGroupPage=yes
DisableDirPage=auto
; Per-user: no UAC prompt, works on locked-down school machines.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=Steelman-{#AppVersion}-windows-x64-setup
SetupIconFile=steelman.ico
UninstallDisplayIcon={app}\steelman.exe
UninstallDisplayName=Steelman
Compression=lzma2/ultra64
SolidCompression=yes
LZMAUseSeparateProcess=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
LicenseFile=..\..\LICENSE

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller folder: steelman.exe (windowed), steelman-cli.exe (console, for
; `steelman-cli --smoke` and the terminal commands) and _internal\.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not mix old and new library files.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\Steelman"; Filename: "{app}\steelman.exe"; Comment: "Offline trainer for debaters"
Name: "{autodesktop}\Steelman"; Filename: "{app}\steelman.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\steelman.exe"; Description: "{cm:LaunchProgram,Steelman}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the installer put there. The user's data (%LOCALAPPDATA%\Steelman, or a
; steelman-data folder) is kept: a coach's practice history must survive a reinstall.
Type: filesandordirs; Name: "{app}\_internal"
