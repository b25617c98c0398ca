const { invoke } = window.__TAURI_INTERNALS__;
const status = await invoke('report_status');
document.getElementById('app').textContent = status.dbPath;
