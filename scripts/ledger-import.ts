/**
 * npm run ledger:import -- <file.xlsx|file.csv> [--report report.xlsx] [--json]
 *
 * Imports a ledger file into the database configured in the environment (or .env), as the
 * admin page does: prints progress and the summary, and with --report writes the result report
 * (rows with errors, duplicates, conflicts, screening suggestions). Exit codes: 0 imported (bad
 * rows are reported, not fatal), 2 the file was refused (nothing imported), 1 the import failed
 * (nothing imported).
 */
import fs from 'fs';
import path from 'path';
import { bootForTask } from './lib/boot';

const main = async (): Promise<number> => {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const reportPath = args.includes('--report') ? args[args.indexOf('--report') + 1] : null;
  const file = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--report');
  if (!file) {
    console.error('usage: npm run ledger:import -- <file.xlsx|file.csv> [--report report.xlsx] [--json]');
    return 2;
  }
  const filePath = path.resolve(file);
  if (!fs.existsSync(filePath)) {
    console.error(`ledger:import: no such file ${filePath}`);
    return 2;
  }
  const strapi = await bootForTask();
  try {
    const importer = strapi.plugin('complaints').service('importer');
    let lastLine = '';
    const tty = process.stderr.isTTY && !json;
    let status;
    try {
      status = await importer.run(
        {
          filePath,
          fileName: path.basename(filePath),
          actor: { kind: 'system', id: null, name: 'system', unitId: null, unitName: null },
          importedByName: 'ledger:import (command line)',
          deleteFile: false,
        },
        (s: { status: string; progress: number; totalRows: number }) => {
          if (json) return;
          const line = `  ${s.status} ${s.progress}% · ${s.totalRows} rows read`;
          if (line === lastLine) return;
          lastLine = line;
          if (tty) process.stderr.write(`\r${line}   `);
          else console.log(line);
        }
      );
    } catch (e) {
      const err = e as { code?: string; details?: { refused?: boolean }; message: string };
      if (err.details?.refused) {
        if (tty) process.stderr.write('\n');
        if (json) console.log(JSON.stringify({ refused: true, code: err.code, message: err.message }));
        else console.error(`Refused 文件被拒绝: ${err.message}`);
        return 2;
      }
      throw e;
    }
    if (tty) process.stderr.write('\n');
    if (reportPath) {
      const found = await strapi.plugin('complaints').service('import-batches').report(status.id);
      const { writeReportWorkbook } = await import('../plugins/complaints/server/src/import/workbooks');
      const out = fs.createWriteStream(path.resolve(reportPath));
      const closed = new Promise<void>((resolve, reject) => out.on('close', () => resolve()).on('error', reject));
      await writeReportWorkbook({ ...found.status, counts: found.status, report: found.report }, out);
      await closed;
    }
    if (json) {
      console.log(JSON.stringify(status, null, 2));
    } else {
      const ok = status.status === 'done';
      console.log(`Ledger import 台账导入: ${ok ? 'done 完成' : 'FAILED 失败'} (batch ${status.code})`);
      if (!ok) console.log(`  ${status.failure}`);
      console.log(`  data rows 数据行            ${status.totalRows}`);
      console.log(`  imported 已导入             ${status.importedCount}`);
      console.log(`  already present 已存在      ${status.alreadyPresentCount}`);
      console.log(`  conflicts 冲突              ${status.conflictCount}`);
      console.log(`  duplicates in file 文件内重复 ${status.inFileDuplicateCount}`);
      console.log(`  rows with errors 错误行     ${status.errorCount}`);
      console.log(`  screening suggestions 甄别建议 ${status.suggestionCount}`);
      if (reportPath) console.log(`  report 结果报告: ${path.resolve(reportPath)}`);
    }
    return status.status === 'done' ? 0 : 1;
  } finally {
    await strapi.destroy();
  }
};

main()
  .then((code) => process.exit(code))
  .catch((e) => {
    console.error(`ledger:import failed: ${(e as Error).message}`);
    process.exit(1);
  });
