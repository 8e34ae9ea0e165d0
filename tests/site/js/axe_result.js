// The result of the audit started by axe_audit.js (an error after 120 s).
() => Promise.race([window.__itlibAudit, new Promise(
    done => setTimeout(() => done({error: 'no result after 120 s'}), 120000))])
