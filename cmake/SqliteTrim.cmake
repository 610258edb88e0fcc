# Writes sqlite3-trimmed.c beside the verified sqlite3.c: the amalgamation with code lead-outbox never runs fenced off.
#
# Included by cmake/SqliteSource.cmake after the checksum. SQLITE_OMIT_* cannot remove
# these parts by itself: the amalgamation's parser keeps every grammar rule (see the note
# there). So each edit below wraps a stretch of sqlite3.c in `#ifndef LEAD_OUTBOX_OMIT_<X>`
# (or adds what an omission leaves missing); cmake/SqliteTrim.c supplies the stubs the
# parser still calls; SQLITE_COMPILE_DEFINITIONS turns each omission on. Without its define
# an edit changes nothing, so the trimmed file compiles to the full SQLite.
#
# Each edit names exact text that must occur exactly once in sqlite3.c, else configuring
# stops naming the edit: a new SQLite version fails loudly here, never quietly untrimmed.
# The file is never committed; it is rewritten when this script or the checksum changes.

set(_trim_in "${SQLITE_SOURCE_DIR}/sqlite3.c")
set(_trim_out "${SQLITE_SOURCE_DIR}/sqlite3-trimmed.c")
file(SHA256 "${CMAKE_CURRENT_LIST_FILE}" _trim_script_sha)
set(_trim_stamp "${SQLITE_SHA256} ${_trim_script_sha}")
set(_trim_old_stamp "")
if(EXISTS "${_trim_out}.stamp")
  file(READ "${_trim_out}.stamp" _trim_old_stamp)
endif()

# _sqlite_trim(NAME OLD NEW): replaces the one occurrence of OLD in _trim_text with NEW.
function(_sqlite_trim name old new)
  string(FIND "${_trim_text}" "${old}" _first)
  string(FIND "${_trim_text}" "${old}" _last REVERSE)
  if(_first EQUAL -1)
    message(FATAL_ERROR "SQLite trim: edit '${name}' found nothing in sqlite3.c ${SQLITE_VERSION}; update cmake/SqliteTrim.cmake")
  elseif(NOT _first EQUAL _last)
    message(FATAL_ERROR "SQLite trim: edit '${name}' matches more than once in sqlite3.c ${SQLITE_VERSION}; update cmake/SqliteTrim.cmake")
  endif()
  string(REPLACE "${old}" "${new}" _trim_text "${_trim_text}")
  set(_trim_text "${_trim_text}" PARENT_SCOPE)
endfunction()

# _sqlite_fence(NAME MACRO BEGIN END): wraps the text from BEGIN up to (not including) END
# in `#ifndef MACRO`. BEGIN and END must each occur exactly once.
function(_sqlite_fence name macro begin end)
  _sqlite_trim("${name} (start)" "${begin}" "#ifndef ${macro} /* lead-outbox trim: ${name} */\n${begin}")
  _sqlite_trim("${name} (end)" "${end}" "#endif /* ${macro}: ${name} */\n${end}")
  set(_trim_text "${_trim_text}" PARENT_SCOPE)
endfunction()

# _sqlite_instead(NAME CONDITION OLD NEW): puts NEW in place of the one occurrence of OLD
# where `#ifdef CONDITION` holds (CONDITION: a macro, with a comment if wanted), and keeps
# OLD as it is in the #else branch.
function(_sqlite_instead name condition old new)
  _sqlite_trim("${name}" "${old}" "#ifdef ${condition}\n${new}#else\n${old}#endif\n")
  set(_trim_text "${_trim_text}" PARENT_SCOPE)
endfunction()

if(NOT EXISTS "${_trim_out}" OR NOT _trim_old_stamp STREQUAL _trim_stamp)
  file(READ "${_trim_in}" _trim_text)

  # --- ALTER TABLE: keep ADD COLUMN (src/store/Schema.cpp's migrations), drop RENAME TO,
  # RENAME COLUMN, DROP COLUMN and the constraint forms, and their sqlite_rename_*,
  # sqlite_drop_* and *_constraint SQL functions. Stubs: sqlite3AlterRenameTable,
  # sqlite3AlterRenameColumn, sqlite3AlterDropColumn, sqlite3AlterDropConstraint,
  # sqlite3AlterSetNotNull, sqlite3AlterAddConstraint, sqlite3AlterFunctions.
  set(_m LEAD_OUTBOX_OMIT_ALTER_RENAME)
  _sqlite_fence("renameTestSchema, renameFixQuotes" ${_m}
    "/*\n** Generate code to verify that the schemas of database zDb and, if\n"
    "/*\n** Generate code to reload the schema for database iDb. And, if iDb!=1, for\n")
  _sqlite_fence("sqlite3AlterRenameTable" ${_m}
    "/*\n** Generate code to implement the \"ALTER TABLE xxx RENAME TO yyy\"\n"
    "/*\n** Write code that will raise an error if the table described by\n")
  _sqlite_fence("isRealTable, sqlite3AlterRenameColumn" ${_m}
    "/*\n** Parameter pTab is the subject of an ALTER TABLE ... RENAME COLUMN\n"
    "/*\n** Each RenameToken object maps an element of the parse tree into\n")
  # Kept between these: the RenameToken map the parser fills in rename mode, which
  # IN_RENAME_OBJECT (below) now never enters.
  _sqlite_fence("rename, drop column and constraint functions" ${_m}
    "/*\n** Free the list of RenameToken objects given in the second argument\n"
    "#endif  /* SQLITE_ALTER_TABLE */\n")
  # Only ALTER TABLE ... RENAME parses in rename mode; without it the parser's and
  # build.c's rename-only branches are dead, and this lets the compiler see that.
  _sqlite_trim("IN_RENAME_OBJECT" "#if defined(SQLITE_OMIT_ALTERTABLE)\n  #define IN_RENAME_OBJECT 0\n"
    "#if defined(SQLITE_OMIT_ALTERTABLE) || defined(${_m}) /* lead-outbox trim */\n  #define IN_RENAME_OBJECT 0\n")

  # --- Window functions (SQLITE_OMIT_WINDOWFUNC; the parser still has the window grammar).
  # The tokenizer hands WINDOW, OVER and FILTER to the parser as plain names, so no window
  # rule is ever reduced: `f() OVER (...)`, `FILTER (...)` and `WINDOW w AS (...)` are
  # syntax errors. Stubs, for the linker: sqlite3WindowAlloc, sqlite3WindowAssemble,
  # sqlite3WindowChain, sqlite3WindowListDelete.
  _sqlite_trim("window keywords are names" [=[
#ifndef SQLITE_OMIT_WINDOWFUNC
    if( tokenType>=TK_WINDOW ){
]=] [=[
#ifdef SQLITE_OMIT_WINDOWFUNC /* lead-outbox trim: no window grammar */
    if( tokenType==TK_WINDOW || tokenType==TK_OVER || tokenType==TK_FILTER ){
      tokenType = TK_ID;
    }
#endif
#ifndef SQLITE_OMIT_WINDOWFUNC
    if( tokenType>=TK_WINDOW ){
]=])
  _sqlite_trim("window grammar prototypes" [=[
#else
# define sqlite3WindowDelete(a,b)
]=] [=[
#else /* lead-outbox trim: what the window grammar calls, stubbed in cmake/SqliteTrim.c */
SQLITE_PRIVATE void sqlite3WindowListDelete(sqlite3 *db, Window *p);
SQLITE_PRIVATE Window *sqlite3WindowAlloc(Parse*, int, int, Expr*, int , Expr*, u8);
SQLITE_PRIVATE void sqlite3WindowChain(Parse*, Window*, Window*);
SQLITE_PRIVATE Window *sqlite3WindowAssemble(Parse*, Window*, ExprList*, ExprList*, Token*);
# define sqlite3WindowDelete(a,b)
]=])
  _sqlite_trim("SELECT ... WINDOW clause" [=[
    yymsp[-9].minor.yy555->pWinDefn = yymsp[-2].minor.yy211;
]=] [=[
#ifndef SQLITE_OMIT_WINDOWFUNC /* lead-outbox trim */
    yymsp[-9].minor.yy555->pWinDefn = yymsp[-2].minor.yy211;
#else
    sqlite3WindowListDelete(pParse->db, yymsp[-2].minor.yy211);
#endif
]=])

  # --- Virtual tables (SQLITE_OMIT_VIRTUALTABLE), and with them the table-valued PRAGMA
  # functions (pragma_table_info(...)). SQLite makes this omission imply
  # SQLITE_OMIT_ALTERTABLE, but ADD COLUMN builds and runs without virtual tables, so that
  # implication goes. One ADD COLUMN form does need them: a new column with a CHECK, or
  # NOT NULL on a generated one, or any on a STRICT table, is re-checked through
  # pragma_quick_check and fails ("no such table"); Schema.cpp adds none such. Stubs:
  # sqlite3VtabBeginParse, sqlite3VtabFinishParse, sqlite3VtabArgInit, sqlite3VtabArgExtend.
  _sqlite_trim("virtual tables keep ALTER TABLE" [=[
#if defined(SQLITE_OMIT_VIRTUALTABLE) && !defined(SQLITE_OMIT_ALTERTABLE)
# define SQLITE_OMIT_ALTERTABLE
#endif
]=] [=[
#if 0 /* lead-outbox trim: ADD COLUMN stays without virtual tables */
# define SQLITE_OMIT_ALTERTABLE
#endif
]=])

  # --- Compound SELECT (SQLITE_OMIT_COMPOUND_SELECT, set before this script existed). The
  # parser still chains `a UNION b`, and a recursive CTE's UNION ALL, but with multiSelect()
  # omitted the chain was coded as its last SELECT alone (`SELECT 1 UNION SELECT 2` gave one
  # row, 2) and a recursive CTE crashed in sqlite3VdbeExec. Now the rule refuses them.
  # Multi-row VALUES is another rule (mvalues) and still works.
  _sqlite_trim("UNION, INTERSECT, EXCEPT refused" [=[
  Select *pRhs = yymsp[0].minor.yy555;
  Select *pLhs = yymsp[-2].minor.yy555;
]=] [=[
  Select *pRhs = yymsp[0].minor.yy555;
  Select *pLhs = yymsp[-2].minor.yy555;
#ifdef SQLITE_OMIT_COMPOUND_SELECT /* lead-outbox trim: no multiSelect() to code it */
  sqlite3ErrorMsg(pParse, "UNION, INTERSECT and EXCEPT are not supported");
  sqlite3SelectDelete(pParse->db, pRhs);
  pRhs = 0;
#endif
]=])

  # A multi-row VALUES that SQLite cannot code as a co-routine (a CAST in its first row, a
  # row that is not constant, ...) falls back to a UNION ALL chain, which it makes without the
  # rule above, and which was coded as its last row alone: `INSERT INTO t VALUES
  # (CAST(1 AS TEXT)), (2)` inserted one row. It fails to prepare now.
  _sqlite_trim("multi-row VALUES as UNION ALL refused" [=[
    /* The co-routine method cannot be used. Fall back to UNION ALL. */
    Select *pSelect = 0;
    int f = SF_Values | SF_MultiValue;
]=] [=[
    /* The co-routine method cannot be used. Fall back to UNION ALL. */
    Select *pSelect = 0;
    int f = SF_Values | SF_MultiValue;
#ifdef SQLITE_OMIT_COMPOUND_SELECT /* lead-outbox trim: no multiSelect() to code it */
    sqlite3ErrorMsg(pParse, "this multi-row VALUES is not supported");
    sqlite3ExprListDelete(pParse->db, pRow);
    if( 1 ) return pLeft;
#endif
]=])

  # --- OR terms (SQLITE_OMIT_OR_OPTIMIZATION, both builds). That omission leaves out
  # exprAnalyzeOrTerm, the one place that sets WhereClause.hasOr, but the planner still tests
  # the field and keeps whereLoopAddOr, whose loops then never run: a constant 0 lets the
  # compiler drop it. Same plans, same results (wasm gzip: visitor -0.34 KB, staff -0.4 KB).
  _sqlite_trim("OR terms: no whereLoopAddOr" [=[
    if( rc==SQLITE_OK && pBuilder->pWC->hasOr ){
      rc = whereLoopAddOr(pBuilder, mPrereq, mUnusable);
    }
]=] [=[
#if defined(SQLITE_OMIT_OR_OPTIMIZATION) || defined(SQLITE_OMIT_SUBQUERY) /* lead-outbox trim: hasOr is never set */
    if( 0 ){
#else
    if( rc==SQLITE_OK && pBuilder->pWC->hasOr ){
#endif
      rc = whereLoopAddOr(pBuilder, mPrereq, mUnusable);
    }
]=])

  # --- The visitor's SQLite only (sqlite3_visitor in CMakeLists.txt): built-in SQL functions.
  # The visitor core runs no user SQL (no store.query()), only the core's own statements, so
  # it keeps the functions those call (grep src/ for SQL: typeof, quote, substr, count,
  # coalesce) and those ALTER TABLE ... ADD COLUMN's own UPDATE of sqlite_schema calls
  # (printf, substr, length); no date/time functions either, so CURRENT_TIME/DATE/TIMESTAMP
  # go too (and with them wasm/SqliteClock.c's gmtime and strftime). Any other function,
  # LIKE and GLOB included, fails to prepare: "no such function: <name>".
  set(_m LEAD_OUTBOX_OMIT_SQL_FUNCTIONS)
  _sqlite_trim("built-in functions: the core's only (start)" [=[
/***** Regular functions *****/
]=] [=[
/***** Regular functions *****/
#ifdef LEAD_OUTBOX_OMIT_SQL_FUNCTIONS /* lead-outbox trim: the core's statements' functions only */
    FUNCTION2(typeof,            1, 0, 0, typeofFunc,  SQLITE_FUNC_TYPEOF),
    FUNCTION2(length,            1, 0, 0, lengthFunc,  SQLITE_FUNC_LENGTH),
    FUNCTION(printf,            -1, 0, 0, printfFunc       ),
    FUNCTION(quote,              1, 0, 0, quoteFunc        ),
    FUNCTION(substr,             2, 0, 0, substrFunc       ),
    FUNCTION(substr,             3, 0, 0, substrFunc       ),
    WAGGREGATE(count, 0,0,0, countStep,
        countFinalize, countFinalize, countInverse,
        SQLITE_FUNC_COUNT|SQLITE_FUNC_ANYORDER  ),
    WAGGREGATE(count, 1,0,0, countStep,
        countFinalize, countFinalize, countInverse, SQLITE_FUNC_ANYORDER ),
    INLINE_FUNC(coalesce,       -4, INLINEFUNC_coalesce, 0 ),
#else
]=])
  _sqlite_trim("built-in functions: the core's only (end)" [=[
    INLINE_FUNC(if,             -4, INLINEFUNC_iif,      0 ),
  };
]=] [=[
    INLINE_FUNC(if,             -4, INLINEFUNC_iif,      0 ),
#endif /* LEAD_OUTBOX_OMIT_SQL_FUNCTIONS */
  };
]=])
  _sqlite_trim("no date/time functions" [=[
  sqlite3RegisterDateTimeFunctions();
  sqlite3RegisterJsonFunctions();
]=] [=[
#ifndef LEAD_OUTBOX_OMIT_SQL_FUNCTIONS /* lead-outbox trim */
  sqlite3RegisterDateTimeFunctions();
#endif
  sqlite3RegisterJsonFunctions();
]=])

  # --- The visitor's SQLite only: pragmas. It keeps those the core issues (src/store/:
  # journal_mode, synchronous, secure_delete, temp_store, locking_mode, user_version,
  # integrity_check, quick_check) and those the omissions above already removed. Any other
  # pragma SQLite knows fails to prepare: "PRAGMA <name> is not supported" (the default case,
  # where busy_timeout was); an unknown one is ignored, as always.
  set(_m LEAD_OUTBOX_OMIT_PRAGMAS)
  _sqlite_fence("PRAGMA page_size" ${_m} "  case PragTyp_PAGE_SIZE: {\n" "  case PragTyp_SECURE_DELETE: {\n")
  _sqlite_fence("PRAGMA page_count, max_page_count" ${_m} "  case PragTyp_PAGE_COUNT: {\n" "  case PragTyp_LOCKING_MODE: {\n")
  _sqlite_fence("PRAGMA journal_size_limit" ${_m} "  case PragTyp_JOURNAL_SIZE_LIMIT: {\n"
    "\n#endif /* SQLITE_OMIT_PAGER_PRAGMAS */\n\n  /*\n  **  PRAGMA [schema.]auto_vacuum\n")
  _sqlite_fence("PRAGMA cache_size, cache_spill, mmap_size" ${_m} "  case PragTyp_CACHE_SIZE: {\n" "  case PragTyp_TEMP_STORE: {\n")
  _sqlite_fence("PRAGMA temp_store_directory" ${_m} "  case PragTyp_TEMP_STORE_DIRECTORY: {\n" "  case PragTyp_SYNCHRONOUS: {\n")
  _sqlite_trim("PRAGMA shrink_memory ... analysis_limit (start)" "  case PragTyp_SHRINK_MEMORY: {\n"
    "#ifndef LEAD_OUTBOX_OMIT_PRAGMAS /* lead-outbox trim */\n  case PragTyp_SHRINK_MEMORY: {\n")
  _sqlite_trim("PRAGMA shrink_memory ... analysis_limit (end)" [=[
#if defined(SQLITE_DEBUG) || defined(SQLITE_TEST)
  /*
  ** Report the current state of file logs for all databases
]=] [=[
#else /* LEAD_OUTBOX_OMIT_PRAGMAS: every pragma whose case is fenced off */
  default: {
    sqlite3ErrorMsg(pParse, "PRAGMA %s is not supported", pPragma->zName);
    break;
  }
#endif /* LEAD_OUTBOX_OMIT_PRAGMAS */
#if defined(SQLITE_DEBUG) || defined(SQLITE_TEST)
  /*
  ** Report the current state of file logs for all databases
]=])

  # --- The visitor's SQLite only: query-planner optimizations its statements never use,
  # off at compile time. Each is one that sqlite3_test_control(SQLITE_TESTCTRL_OPTIMIZATIONS)
  # can turn off at run time, so SQLite gives the same results without it (its test suite
  # runs with each off); only the plan of a query that could use it changes. The visitor's
  # statements are single-table: no join, subquery, view, DISTINCT, min()/max(), expression
  # index or ANALYZE data for these to act on. Kept: covering-index scans, GROUP BY/ORDER BY
  # from an index, constant factoring, co-routines (INSERT ... SELECT), one-pass UPDATE and
  # DELETE, the sorter's balanced merge. With the mask constant, the compiler drops the code.
  _sqlite_trim("planner optimizations off" [=[
#define OptimizationDisabled(db, mask)  (((db)->dbOptFlags&(mask))!=0)
#define OptimizationEnabled(db, mask)   (((db)->dbOptFlags&(mask))==0)
]=] [=[
#ifdef LEAD_OUTBOX_OMIT_OPTIMIZATIONS /* lead-outbox trim: off at compile time */
# define LEAD_OUTBOX_OPTIMIZATIONS_OFF (SQLITE_QueryFlattener|SQLITE_DistinctOpt \
    |SQLITE_OrderByIdxJoin|SQLITE_Transitive|SQLITE_OmitNoopJoin|SQLITE_CountOfView \
    |SQLITE_CursorHints|SQLITE_Stat4|SQLITE_PushDown|SQLITE_SimplifyJoin|SQLITE_SkipScan \
    |SQLITE_PropagateConst|SQLITE_MinMaxOpt|SQLITE_SeekScan|SQLITE_OmitOrderBy \
    |SQLITE_BloomFilter|SQLITE_BloomPulldown|SQLITE_ReleaseReg|SQLITE_FlttnUnionAll \
    |SQLITE_IndexedExpr|SQLITE_NullUnusedCols|SQLITE_OrderBySubq|SQLITE_StarQuery \
    |SQLITE_ExistsToJoin)
#else
# define LEAD_OUTBOX_OPTIMIZATIONS_OFF 0
#endif
#define OptimizationDisabled(db, mask)  ((((db)->dbOptFlags|LEAD_OUTBOX_OPTIMIZATIONS_OFF)&(mask))!=0)
#define OptimizationEnabled(db, mask)   ((((db)->dbOptFlags|LEAD_OUTBOX_OPTIMIZATIONS_OFF)&(mask))==0)
]=])

  # --- CTEs (SQLITE_OMIT_CTE, the visitor's SQLite only; the parser still has the WITH
  # grammar). SQLite's own macros for this omission no longer match the grammar's calls
  # (sqlite3CteNew takes five arguments; sqlite3WithAdd is spelt sqlite3CteWithAdd): the two
  # become prototypes, stubbed in cmake/SqliteTrim.c, and a WITH clause fails to prepare.
  # No With object is ever made, so the other macros (delete, push: nothing) stay.
  _sqlite_trim("CTE grammar prototypes" [=[
# define sqlite3CteNew(P,T,E,S)   ((void*)0)
# define sqlite3CteDelete(D,C)
# define sqlite3CteWithAdd(P,W,C) ((void*)0)
]=] [=[
/* lead-outbox trim: what the WITH grammar calls, stubbed in cmake/SqliteTrim.c */
SQLITE_PRIVATE   Cte *sqlite3CteNew(Parse*,Token*,ExprList*,Select*,u8);
# define sqlite3CteDelete(D,C)
SQLITE_PRIVATE   With *sqlite3WithAdd(Parse*,With*,Cte*);
]=])

  # --- VACUUM (SQLITE_OMIT_VACUUM, the visitor's SQLite only; stub in cmake/SqliteTrim.c).
  # sqlite3_file_control(SQLITE_FCNTL_RESET_CACHE) still calls sqlite3PagerClearCache, which
  # that omission leaves undefined (a link error natively; LTO drops it in wasm): keep it.
  _sqlite_trim("VACUUM keeps sqlite3PagerClearCache" [=[
#ifndef SQLITE_OMIT_VACUUM
/*
** Unless this is an in-memory or temporary database, clear the pager cache.
*/
]=] [=[
#if 1 /* lead-outbox trim: sqlite3BtreeClearCache calls it without VACUUM too */
/*
** Unless this is an in-memory or temporary database, clear the pager cache.
*/
]=])

  # --- Triggers (SQLITE_OMIT_TRIGGER, the visitor's SQLite only; the parser still has the
  # trigger grammar). Prototypes for what the grammar calls, stubbed in cmake/SqliteTrim.c:
  # CREATE TRIGGER and DROP TRIGGER fail to prepare, and so does opening a schema with a
  # trigger. RETURNING is coded as a trigger, and without triggers SQLite would quietly return
  # no rows: it fails to prepare too.
  _sqlite_trim("trigger grammar prototypes" [=[
#else
# define sqlite3TriggersExist(B,C,D,E,F) 0
]=] [=[
#else /* lead-outbox trim: what the trigger grammar calls, stubbed in cmake/SqliteTrim.c */
SQLITE_PRIVATE void sqlite3BeginTrigger(Parse*, Token*,Token*,int,int,IdList*,SrcList*,Expr*,int, int);
SQLITE_PRIVATE void sqlite3FinishTrigger(Parse*, TriggerStep*, Token*);
SQLITE_PRIVATE void sqlite3DropTrigger(Parse*, SrcList*, int);
SQLITE_PRIVATE void sqlite3DeleteTriggerStep(sqlite3*, TriggerStep*);
SQLITE_PRIVATE TriggerStep *sqlite3TriggerSelectStep(sqlite3*,Select*,const char*,const char*);
SQLITE_PRIVATE TriggerStep *sqlite3TriggerInsertStep(Parse*,SrcList*, IdList*,Select*,u8,Upsert*,const char*,const char*);
SQLITE_PRIVATE TriggerStep *sqlite3TriggerUpdateStep(Parse*,SrcList*,SrcList*,ExprList*,Expr*, u8, const char*,const char*);
SQLITE_PRIVATE TriggerStep *sqlite3TriggerDeleteStep(Parse*,SrcList*, Expr*,const char*,const char*);
# define sqlite3TriggersExist(B,C,D,E,F) 0
]=])
  _sqlite_trim("RETURNING refused without triggers" [=[
SQLITE_PRIVATE void sqlite3AddReturning(Parse *pParse, ExprList *pList){
  Returning *pRet;
]=] [=[
SQLITE_PRIVATE void sqlite3AddReturning(Parse *pParse, ExprList *pList){
  Returning *pRet;
#ifdef SQLITE_OMIT_TRIGGER /* lead-outbox trim: RETURNING is coded as a trigger */
  sqlite3ErrorMsg(pParse, "RETURNING is not supported");
  sqlite3ExprListDelete(pParse->db, pList);
  return;
#endif
]=])

  # --- URI filenames (the visitor's SQLite only). The core opens and ATTACHes plain paths of
  # its own VFS, never with SQLITE_OPEN_URI, and nothing calls sqlite3_config(SQLITE_CONFIG_URI):
  # a "file:" name that would be parsed as a URI is refused instead ("URI filenames are not
  # supported"), so the compiler drops the URI parser; any other name opens as before.
  _sqlite_instead("URI filenames refused" "LEAD_OUTBOX_OMIT_URI /* lead-outbox trim: refused, not parsed */" [=[
  if( ((flags & SQLITE_OPEN_URI)                     /* IMP: R-48725-32206 */
       || AtomicLoad(&sqlite3GlobalConfig.bOpenUri)) /* IMP: R-51689-46548 */
   && nUri>=5 && memcmp(zUri, "file:", 5)==0         /* IMP: R-57884-37496 */
  ){
]=] [=[
  if( ((flags & SQLITE_OPEN_URI) || AtomicLoad(&sqlite3GlobalConfig.bOpenUri))
   && nUri>=5 && memcmp(zUri, "file:", 5)==0
  ){
    *pzErrMsg = sqlite3_mprintf("URI filenames are not supported");
    return SQLITE_ERROR;
  }
  if( 0 ){
]=])

  # --- The authorizer (SQLITE_OMIT_AUTHORIZATION, the visitor's SQLite only: it has no
  # store.query(), the one user of Database::prepareReadOnly). sqlite3_set_authorizer is a
  # stub in cmake/SqliteTrim.c that, for fail-safety, marks the connection: while an
  # authorizer is set, every prepare fails with SQLITE_AUTH instead of running unchecked.
  _sqlite_trim("no authorizer: prepares refused while one is set" [=[
  *ppStmt = 0;
  if( !sqlite3SafetyCheckOk(db)||zSql==0 ){
    return SQLITE_MISUSE_BKPT;
  }
  sqlite3_mutex_enter(db->mutex);
  sqlite3BtreeEnterAll(db);
]=] [=[
  *ppStmt = 0;
  if( !sqlite3SafetyCheckOk(db)||zSql==0 ){
    return SQLITE_MISUSE_BKPT;
  }
#ifdef SQLITE_OMIT_AUTHORIZATION /* lead-outbox trim: see sqlite3_set_authorizer in cmake/SqliteTrim.c */
  if( db==leadOutboxAuthorizerDb ){
    sqlite3ErrorWithMsg(db, SQLITE_AUTH, "not authorized: this build has no authorizer");
    return SQLITE_AUTH;
  }
#endif
  sqlite3_mutex_enter(db->mutex);
  sqlite3BtreeEnterAll(db);
]=])
  _sqlite_trim("no authorizer: the marked connection" [=[
static int sqlite3LockAndPrepare(
]=] [=[
#ifdef SQLITE_OMIT_AUTHORIZATION /* lead-outbox trim: set by the stub sqlite3_set_authorizer */
static sqlite3 *leadOutboxAuthorizerDb = 0;
#endif
static int sqlite3LockAndPrepare(
]=])

  # --- Subqueries in expressions (the visitor's SQLite only): `(SELECT ...)`, `EXISTS (...)`,
  # `x IN (SELECT ...)` and `x IN table`. Every one of them is made by sqlite3PExprAddSelect,
  # which now refuses ("subqueries are not supported"); no Expr ever gets EP_xIsSelect, so
  # ExprUseXSelect is the constant 0 and the compiler drops the code for them (resolving,
  # correlation, IN by a subquery or an index, scalar and EXISTS subroutines). `x IN (list)`
  # is not a subquery and stays (the core's CHECK constraint and stored-data checks use it);
  # so do subqueries in FROM and INSERT ... SELECT (LegacyMerge.cpp).
  set(_m LEAD_OUTBOX_OMIT_SUBQUERY_EXPR)
  _sqlite_trim("subquery expressions refused" [=[
SQLITE_PRIVATE void sqlite3PExprAddSelect(Parse *pParse, Expr *pExpr, Select *pSelect){
  if( pExpr ){
]=] [=[
SQLITE_PRIVATE void sqlite3PExprAddSelect(Parse *pParse, Expr *pExpr, Select *pSelect){
#ifdef LEAD_OUTBOX_OMIT_SUBQUERY_EXPR /* lead-outbox trim */
  sqlite3ErrorMsg(pParse, "subqueries are not supported");
  sqlite3SelectDelete(pParse->db, pSelect);
  (void)pExpr;
  if( 1 ) return;
#endif
  if( pExpr ){
]=])
  _sqlite_instead("subquery expressions: no Expr uses x.pSelect" "LEAD_OUTBOX_OMIT_SUBQUERY_EXPR /* lead-outbox trim: sqlite3PExprAddSelect refuses */" [=[
#define ExprUseXList(E)     (((E)->flags&EP_xIsSelect)==0)
#define ExprUseXSelect(E)   (((E)->flags&EP_xIsSelect)!=0)
]=] [=[
# define ExprUseXList(E)     ((void)(E), 1)
# define ExprUseXSelect(E)   ((void)(E), 0)
]=])
  _sqlite_trim("subquery expressions: no scalar or EXISTS subroutine" [=[
SQLITE_PRIVATE int sqlite3CodeSubselect(Parse *pParse, Expr *pExpr){
  int addrOnce = 0;           /* Address of OP_Once at top of subroutine */
]=] [=[
#ifdef LEAD_OUTBOX_OMIT_SUBQUERY_EXPR /* lead-outbox trim: no TK_SELECT or TK_EXISTS is made */
SQLITE_PRIVATE int sqlite3CodeSubselect(Parse *pParse, Expr *pExpr){
  (void)pExpr;
  sqlite3ErrorMsg(pParse, "subqueries are not supported");
  return 0;
}
static int leadOutboxCodeSubselectUnused(Parse *pParse, Expr *pExpr){
#else
SQLITE_PRIVATE int sqlite3CodeSubselect(Parse *pParse, Expr *pExpr){
#endif
  int addrOnce = 0;           /* Address of OP_Once at top of subroutine */
]=])

  # --- Joins (the visitor's SQLite only): a FROM clause of more than one table or subquery,
  # any JOIN keyword (sqlite3JoinType) and UPDATE ... FROM fail to prepare ("joins are not
  # supported"; the core's statements are single-table). No FROM item is then ever an outer
  # join operand, so JT_LEFT, JT_RIGHT and JT_LTORJ are the constant 0 and the compiler drops
  # the outer-join code. A FROM clause of one subquery and INSERT ... SELECT stay.
  _sqlite_trim("joins refused" [=[
  SrcItem *pItem;
  sqlite3 *db = pParse->db;
  if( !p && pOnUsing!=0 && (pOnUsing->pOn || pOnUsing->pUsing) ){
]=] [=[
  SrcItem *pItem;
  sqlite3 *db = pParse->db;
#ifdef LEAD_OUTBOX_OMIT_JOIN /* lead-outbox trim */
  if( p && p->nSrc>0 ){
    sqlite3ErrorMsg(pParse, "joins are not supported");
    sqlite3SrcListDelete(db, p);
    p = 0;
    goto append_from_error;
  }
#endif
  if( !p && pOnUsing!=0 && (pOnUsing->pOn || pOnUsing->pUsing) ){
]=])
  _sqlite_trim("join keywords refused" [=[
SQLITE_PRIVATE int sqlite3JoinType(Parse *pParse, Token *pA, Token *pB, Token *pC){
  int jointype = 0;
]=] [=[
#ifdef LEAD_OUTBOX_OMIT_JOIN /* lead-outbox trim: LEFT, NATURAL, CROSS ... JOIN */
SQLITE_PRIVATE int sqlite3JoinType(Parse *pParse, Token *pA, Token *pB, Token *pC){
  (void)pA; (void)pB; (void)pC;
  sqlite3ErrorMsg(pParse, "joins are not supported");
  return JT_INNER;
}
static int leadOutboxJoinTypeUnused(Parse *pParse, Token *pA, Token *pB, Token *pC){
#else
SQLITE_PRIVATE int sqlite3JoinType(Parse *pParse, Token *pA, Token *pB, Token *pC){
#endif
  int jointype = 0;
]=])
  _sqlite_trim("UPDATE ... FROM refused" [=[
  assert( p2==0 || p2->nSrc>=1 );
  testcase( p1->nSrc==0 );
]=] [=[
  assert( p2==0 || p2->nSrc>=1 );
  testcase( p1->nSrc==0 );
#ifdef LEAD_OUTBOX_OMIT_JOIN /* lead-outbox trim: its only caller is UPDATE ... FROM */
  if( p2 ){
    sqlite3ErrorMsg(pParse, "UPDATE ... FROM is not supported");
    sqlite3SrcListDelete(pParse->db, p2);
    p2 = 0;
  }
#endif
]=])
  _sqlite_instead("joins: no outer join operands" "LEAD_OUTBOX_OMIT_JOIN /* lead-outbox trim: no FROM item is ever joined */" [=[
#define JT_LEFT      0x08    /* Left outer join */
#define JT_RIGHT     0x10    /* Right outer join */
]=] [=[
#define JT_LEFT      0
#define JT_RIGHT     0
]=])
  _sqlite_instead("joins: no left operand of a right join" "LEAD_OUTBOX_OMIT_JOIN /* lead-outbox trim */" [=[
#define JT_LTORJ     0x40    /* One of the LEFT operands of a RIGHT JOIN
                             ** Mnemonic: Left Table Of Right Join */
]=] [=[
#define JT_LTORJ     0
]=])

  # With joins refused (above), every FROM clause has at most one item. Join processing
  # (NATURAL, ON, USING: nothing to do for one item) keeps only a fail-safe check, and the
  # planner keeps one candidate path (what it already does for one item, or on an error),
  # so the compiler drops the join-order heuristics.
  _sqlite_trim("joins: no ON or USING to process" [=[
static int sqlite3ProcessJoin(Parse *pParse, Select *p){
  SrcList *pSrc;                  /* All tables in the FROM clause */
  int i, j;                       /* Loop counters */
  SrcItem *pLeft;                 /* Left table being joined */
  SrcItem *pRight;                /* Right table being joined */
]=] [=[
#ifdef LEAD_OUTBOX_OMIT_JOIN /* lead-outbox trim: one FROM item, so no join to process */
static int sqlite3ProcessJoin(Parse *pParse, Select *p){
  if( p->pSrc->nSrc>1 ){
    sqlite3ErrorMsg(pParse, "joins are not supported");
    return 1;
  }
  return 0;
}
static int leadOutboxProcessJoinUnused(Parse *pParse, Select *p){
#else
static int sqlite3ProcessJoin(Parse *pParse, Select *p){
#endif
  SrcList *pSrc;                  /* All tables in the FROM clause */
  int i, j;                       /* Loop counters */
  SrcItem *pLeft;                 /* Left table being joined */
  SrcItem *pRight;                /* Right table being joined */
]=])
  _sqlite_trim("joins: one path in the planner" [=[
  if( nLoop<=1 ){
    mxChoice = 1;
  }else if( nLoop==2 ){
]=] [=[
#ifdef LEAD_OUTBOX_OMIT_JOIN /* lead-outbox trim: nLoop<=1 */
  if( 1 ){
#else
  if( nLoop<=1 ){
#endif
    mxChoice = 1;
  }else if( nLoop==2 ){
]=])

  # --- Subqueries in FROM (the visitor's SQLite only): `SELECT ... FROM (SELECT ...)`, and a
  # multi-row VALUES, which SQLite codes as one (an INSERT's co-routine, or FROM (VALUES ...)).
  # sqlite3SrcItemAttachSubquery, the one place that makes a FROM item a subquery, refuses
  # ("subqueries in FROM are not supported"), so sqlite3Select never codes one and the
  # compiler drops the materialize and co-routine code. The core's statements have none
  # (each INSERT is one row; INSERT ... SELECT reads a table, LegacyMerge.cpp).
  set(_m LEAD_OUTBOX_OMIT_FROM_SUBQUERY)
  _sqlite_trim("FROM subqueries refused" [=[
  Subquery *p;
  assert( pSelect!=0 );
  assert( pItem->fg.isSubquery==0 );
]=] [=[
  Subquery *p;
  assert( pSelect!=0 );
  assert( pItem->fg.isSubquery==0 );
#ifdef LEAD_OUTBOX_OMIT_FROM_SUBQUERY /* lead-outbox trim: callers take 0 as failure */
  sqlite3ErrorMsg(pParse, "subqueries in FROM are not supported");
  if( !dupSelect ) sqlite3SelectDelete(pParse->db, pSelect);
  if( 1 ) return 0;
#endif
]=])
  _sqlite_trim("FROM subqueries: none to code" [=[
    if( pItem->fg.isSubquery==0 ) continue;
    pSubq = pItem->u4.pSubq;
]=] [=[
#ifdef LEAD_OUTBOX_OMIT_FROM_SUBQUERY /* lead-outbox trim: none was attached */
    if( pItem->fg.isSubquery ){
      sqlite3ErrorMsg(pParse, "subqueries in FROM are not supported");
      goto select_end;
    }
    if( 1 ) continue;
#endif
    if( pItem->fg.isSubquery==0 ) continue;
    pSubq = pItem->u4.pSubq;
]=])
  # With CREATE VIEW refused (SQLITE_OMIT_VIEW, cmake/SqliteTrim.c) and no FROM subquery,
  # whose ephemeral table sqlite3ExpandSubquery marks as a view, no Table is ever a view:
  # IsView is the constant 0 and the compiler drops the view-only branches.
  _sqlite_trim("FROM subqueries and no views: IsView is 0" [=[
#define IsView(X)           ((X)->eTabType==TABTYP_VIEW)
]=] [=[
#if defined(SQLITE_OMIT_VIEW) && defined(LEAD_OUTBOX_OMIT_FROM_SUBQUERY) /* lead-outbox trim */
# define IsView(X)          ((void)(X), 0)
#else
#define IsView(X)           ((X)->eTabType==TABTYP_VIEW)
#endif
]=])
  _sqlite_trim("FROM subqueries: none to expand" [=[
    if( pFrom->zName==0 ){
#ifndef SQLITE_OMIT_SUBQUERY
      Select *pSel;
      assert( pFrom->fg.isSubquery && pFrom->u4.pSubq!=0 );
]=] [=[
    if( pFrom->zName==0 ){
#ifdef LEAD_OUTBOX_OMIT_FROM_SUBQUERY /* lead-outbox trim: only a subquery has no name */
      sqlite3ErrorMsg(pParse, "subqueries in FROM are not supported");
      if( 1 ) return WRC_Abort;
#endif
#ifndef SQLITE_OMIT_SUBQUERY
      Select *pSel;
      assert( pFrom->fg.isSubquery && pFrom->u4.pSubq!=0 );
]=])
  # Error texts that the refusals above make unreachable, still in the data section: the
  # same checks stay, with messages the build already has.
  _sqlite_instead("joins: no join to count" "LEAD_OUTBOX_OMIT_JOIN /* lead-outbox trim */" [=[
  if( pTabList->nSrc>BMS ){
    sqlite3ErrorMsg(pParse, "at most %d tables in a join", BMS);
]=] [=[
  if( pTabList->nSrc>1 ){
    sqlite3ErrorMsg(pParse, "joins are not supported");
]=])
  _sqlite_instead("triggers: INDEXED BY in a trigger body" "SQLITE_OMIT_TRIGGER /* lead-outbox trim: CREATE TRIGGER stopped the parse already */" [=[
  sqlite3ErrorMsg(pParse,
        "the INDEXED BY clause is not allowed on UPDATE or DELETE statements "
        "within triggers");
]=] [=[
  sqlite3ErrorMsg(pParse, "%s is not supported", "CREATE TRIGGER");
]=])
  _sqlite_instead("triggers: NOT INDEXED in a trigger body" "SQLITE_OMIT_TRIGGER /* lead-outbox trim */" [=[
  sqlite3ErrorMsg(pParse,
        "the NOT INDEXED clause is not allowed on UPDATE or DELETE statements "
        "within triggers");
]=] [=[
  sqlite3ErrorMsg(pParse, "%s is not supported", "CREATE TRIGGER");
]=])

  # --- DROP TABLE, DROP VIEW and DROP INDEX (the visitor's SQLite only): the core drops
  # nothing, and the VM below leaves their opcodes out, so they fail to prepare ("DROP TABLE is
  # not supported") instead of failing when run, and the compiler drops their code generators.
  _sqlite_trim("DROP TABLE and DROP VIEW refused" [=[
SQLITE_PRIVATE void sqlite3DropTable(Parse *pParse, SrcList *pName, int isView, int noErr){
  Table *pTab;
]=] [=[
#ifdef LEAD_OUTBOX_OMIT_DROP /* lead-outbox trim */
SQLITE_PRIVATE void sqlite3DropTable(Parse *pParse, SrcList *pName, int isView, int noErr){
  (void)noErr;
  sqlite3ErrorMsg(pParse, "%s is not supported", isView ? "DROP VIEW" : "DROP TABLE");
  sqlite3SrcListDelete(pParse->db, pName);
}
static void leadOutboxDropTableUnused(Parse *pParse, SrcList *pName, int isView, int noErr){
#else
SQLITE_PRIVATE void sqlite3DropTable(Parse *pParse, SrcList *pName, int isView, int noErr){
#endif
  Table *pTab;
]=])
  _sqlite_trim("DROP INDEX refused" [=[
SQLITE_PRIVATE void sqlite3DropIndex(Parse *pParse, SrcList *pName, int ifExists){
  Index *pIndex;
]=] [=[
#ifdef LEAD_OUTBOX_OMIT_DROP /* lead-outbox trim */
SQLITE_PRIVATE void sqlite3DropIndex(Parse *pParse, SrcList *pName, int ifExists){
  (void)ifExists;
  sqlite3ErrorMsg(pParse, "%s is not supported", "DROP INDEX");
  sqlite3SrcListDelete(pParse->db, pName);
}
static void leadOutboxDropIndexUnused(Parse *pParse, SrcList *pName, int ifExists){
#else
SQLITE_PRIVATE void sqlite3DropIndex(Parse *pParse, SrcList *pName, int ifExists){
#endif
  Index *pIndex;
]=])

  # --- CREATE TABLE ... AS SELECT (the visitor's SQLite only): the core's tables are all
  # declared with their columns, so this form fails to prepare and the compiler drops the
  # code that derives a table from a SELECT. The parser frees the SELECT, as on any error.
  _sqlite_trim("CREATE TABLE ... AS SELECT refused" [=[
  if( pEnd==0 && pSelect==0 ){
    return;
  }
  p = pParse->pNewTable;
]=] [=[
#ifdef LEAD_OUTBOX_OMIT_CREATE_TABLE_AS /* lead-outbox trim */
  if( pSelect ){
    sqlite3ErrorMsg(pParse, "%s is not supported", "CREATE TABLE ... AS SELECT");
    return;
  }
#endif
  if( pEnd==0 && pSelect==0 ){
    return;
  }
  p = pParse->pNewTable;
]=])

  # --- DISTINCT (the visitor's SQLite only): SELECT DISTINCT and f(DISTINCT x) fail to prepare
  # ("DISTINCT is not supported"; the core's statements have neither). The parser's one rule
  # for the keyword refuses, so no Select gets SF_Distinct and no function call EP_Distinct:
  # those flags and the planner's WHERE_*_DISTINCT become the constant 0 and the compiler
  # drops the code for them. One test compares with SF_Distinct as a value, not as a bit:
  # it gets a guard, or 0 would make every plain SELECT with a matching ORDER BY a GROUP BY.
  set(_m LEAD_OUTBOX_OMIT_DISTINCT)
  _sqlite_instead("DISTINCT refused" "LEAD_OUTBOX_OMIT_DISTINCT /* lead-outbox trim */" [=[
{yymsp[0].minor.yy144 = SF_Distinct;}
]=] [=[
{sqlite3ErrorMsg(pParse, "%s is not supported", "DISTINCT"); yymsp[0].minor.yy144 = 0;}
]=])
  _sqlite_instead("DISTINCT: no Select has SF_Distinct" "LEAD_OUTBOX_OMIT_DISTINCT /* lead-outbox trim: the parser refuses it */" [=[
#define SF_Distinct      0x0000001 /* Output should be DISTINCT */
]=] [=[
#define SF_Distinct      0
]=])
  _sqlite_instead("DISTINCT: no function call has EP_Distinct" "LEAD_OUTBOX_OMIT_DISTINCT /* lead-outbox trim */" [=[
#define EP_Distinct   0x000004 /* Aggregate function with DISTINCT keyword */
]=] [=[
#define EP_Distinct   0
]=])
  _sqlite_instead("DISTINCT: the planner is never asked for it" "LEAD_OUTBOX_OMIT_DISTINCT /* lead-outbox trim */" [=[
#define WHERE_WANT_DISTINCT    0x0100 /* All output needs to be distinct */
#define WHERE_SORTBYGROUP      0x0200 /* Support sqlite3WhereIsSorted() */
#define WHERE_AGG_DISTINCT     0x0400 /* Query is "SELECT agg(DISTINCT ...)" */
]=] [=[
#define WHERE_WANT_DISTINCT    0
#define WHERE_SORTBYGROUP      0x0200 /* Support sqlite3WhereIsSorted() */
#define WHERE_AGG_DISTINCT     0
]=])
  _sqlite_trim("DISTINCT: no DISTINCT to turn into GROUP BY" [=[
  if( (p->selFlags & (SF_Distinct|SF_Aggregate))==SF_Distinct
   && sqlite3CopySortOrder(pEList, sSort.pOrderBy)
]=] [=[
  if( SF_Distinct!=0 /* lead-outbox trim: 0 without DISTINCT */
   && (p->selFlags & (SF_Distinct|SF_Aggregate))==SF_Distinct
   && sqlite3CopySortOrder(pEList, sSort.pOrderBy)
]=])

  # --- Row values (the visitor's SQLite only): `(a, b) = (1, 2)`, `(a, b) IN (...)` fail to
  # prepare ("row values are not supported"; the core's statements have none). The parser's
  # one rule that makes a TK_VECTOR refuses, and with subqueries refused too (TK_SELECT, above)
  # every expression has one field: sqlite3ExprVectorSize is the constant 1 and the compiler
  # drops the vector comparison and IN code. `SET (a, b) = ...` with scalars keeps working: its
  # right side is not a vector. (sqlite3LimitWhere's TK_VECTOR needs ENABLE_UPDATE_DELETE_LIMIT.)
  _sqlite_instead("row values refused" "LEAD_OUTBOX_OMIT_ROW_VALUES /* lead-outbox trim: pList is freed below */" [=[
  yymsp[-4].minor.yy454 = sqlite3PExpr(pParse, TK_VECTOR, 0, 0);
]=] [=[
  sqlite3ErrorMsg(pParse, "row values are not supported");
  yymsp[-4].minor.yy454 = 0;
]=])
  _sqlite_trim("row values: every expression has one field" [=[
SQLITE_PRIVATE int sqlite3ExprVectorSize(const Expr *pExpr){
  u8 op = pExpr->op;
]=] [=[
SQLITE_PRIVATE int sqlite3ExprVectorSize(const Expr *pExpr){
#if defined(LEAD_OUTBOX_OMIT_ROW_VALUES) && defined(LEAD_OUTBOX_OMIT_SUBQUERY_EXPR) /* lead-outbox trim */
  if( 1 ) return ((void)pExpr, 1);  /* no TK_VECTOR and no TK_SELECT is ever made */
#endif
  u8 op = pExpr->op;
]=])

  # --- sqlite3_randomness (the visitor's SQLite only): ChaCha20 out, a small generator in
  # cmake/SqliteTrim.c. With SQLITE_OS_OTHER and the core's VFS (src/vfs/PageGroupVfs.cpp,
  # whose xRandomness gives zeros) the stream was fixed anyway; what the visitor's SQLite
  # draws from it needs no secrecy: the in-memory journal's checksum seed (any value works),
  # a random rowid once the largest one is taken, a super-journal name (none: its journals
  # are in memory). random() and randomblob() are left out with the other functions.
  _sqlite_fence("sqlite3_randomness's ChaCha20" LEAD_OUTBOX_SMALL_PRNG
    "/* All threads share a single random number generator.\n"
    "#ifndef SQLITE_UNTESTABLE\n/*\n** For testing purposes, we sometimes want to preserve the state of\n")

  # --- The VM (the visitor's SQLite only): sqlite3VdbeExec's switch keeps the cases of the
  # opcodes the visitor's code generator can still emit, listed below; every other case loses
  # its label, so the compiler drops its code (and what only it calls) as unreachable, and
  # that opcode lands in the default case, which now ends the statement with SQLITE_INTERNAL
  # ("opcode N is not supported") instead of treating it as OP_Noop. Only labels go: code a
  # kept case falls through into, or jumps to, stays and runs as before.
  # How the list was found: a native build whose sqlite3VdbeDelete recorded every opcode of
  # every prepared statement (emitted, so a superset of what runs), run under
  # visitor_sqlite_tests and the core tests of stored data, legacy merge and schema
  # migrations; plus the opcodes sqlite3VdbeExec rewrites itself into (String8 -> String,
  # AggStep -> AggStep1). The emitted set depends on the SQL and the schema, not on data,
  # and the core refuses any schema but its own (Schema.cpp) -- after quick_check, which
  # codes a table's CHECK constraints: so the expression opcodes stay too (Subtract ...
  # ShiftRight, Or, SeekLT, SeekLE, IdxLT share a kept case's code; Not, BitNot, IsTrue,
  # CollSeq, RealAffinity, ElseEq, PureFunc are small). Left out although the tests emit
  # them: Destroy and DropTable (only the tests drop tables).
  # A new opcode in a new SQLite is left out until listed here: a statement that needs it
  # fails cleanly, and the tests say which.
  set(_m LEAD_OUTBOX_OMIT_VDBE_OPS)
  set(_vdbe_kept
    Add AddImm Affinity AggFinal AggStep AggStep1 And AutoCommit BeginSubrtn BitAnd BitNot BitOr
    Blob Cast Close CollSeq Column Compare Concat Copy Count CreateBtree DecrJumpZero
    DeferredSeek Delete Divide ElseEq EndCoroutine Eq Expire FinishSeek Found Function Ge Gosub
    Goto Gt Halt HaltIfNull IdxDelete IdxGE IdxGT IdxInsert IdxLE IdxLT IdxRowid If IfNot
    IfNotZero IfPos Init InitCoroutine Insert Int64 IntCopy Integer IntegrityCk IsNull IsTrue
    IsType JournalMode Jump Last Le Lt MakeRecord Move Multiply MustBeInt Ne NewRowid Next
    NoConflict Not NotExists NotFound NotNull Null NullRow Once OpenEphemeral OpenPseudo
    OpenRead OpenWrite Or ParseSchema Prev PureFunc ReadCookie Real RealAffinity Remainder
    ResultRow Return Rewind Rowid SCopy SeekEnd SeekGE SeekGT SeekLE SeekLT SeekRowid Sequence
    SetCookie ShiftLeft ShiftRight SoftNull Sort SorterData SorterInsert SorterNext SorterOpen
    SorterSort String String8 Subtract Transaction Variable Yield ZeroOrNull)
  set(_vdbe_begin "    switch( pOp->opcode ){\n\n/*****************************************************************************\n** What follows is a massive switch statement")
  set(_vdbe_end "default: {          /* This is really OP_Noop, OP_Explain */\n")
  string(FIND "${_trim_text}" "${_vdbe_begin}" _vb)
  string(FIND "${_trim_text}" "${_vdbe_end}" _ve)
  if(_vb EQUAL -1 OR _ve EQUAL -1 OR _ve LESS _vb)
    message(FATAL_ERROR "SQLite trim: sqlite3VdbeExec's switch not found in sqlite3.c ${SQLITE_VERSION}; update cmake/SqliteTrim.cmake")
  endif()
  string(SUBSTRING "${_trim_text}" 0 ${_vb} _vdbe_head)
  math(EXPR _vl "${_ve} - ${_vb}")
  string(SUBSTRING "${_trim_text}" ${_vb} ${_vl} _vdbe_switch)
  string(SUBSTRING "${_trim_text}" ${_ve} -1 _vdbe_tail)
  string(REGEX MATCHALL "\ncase OP_[A-Za-z0-9_]+:" _vdbe_cases "${_vdbe_switch}")
  set(_vdbe_found "")
  foreach(_case IN LISTS _vdbe_cases)
    string(REGEX REPLACE "^\ncase OP_([A-Za-z0-9_]+):$" "\\1" _op "${_case}")
    if(_op IN_LIST _vdbe_found)
      message(FATAL_ERROR "SQLite trim: case OP_${_op} twice in sqlite3VdbeExec; update cmake/SqliteTrim.cmake")
    endif()
    list(APPEND _vdbe_found ${_op})
    if(NOT _op IN_LIST _vdbe_kept)
      string(REPLACE "${_case}" "\n#ifndef ${_m} /* lead-outbox trim: not emitted */\ncase OP_${_op}:\n#endif\n" _vdbe_switch "${_vdbe_switch}")
    endif()
  endforeach()
  foreach(_op IN LISTS _vdbe_kept)
    if(NOT _op IN_LIST _vdbe_found)
      message(FATAL_ERROR "SQLite trim: kept opcode ${_op} has no case in sqlite3VdbeExec; update cmake/SqliteTrim.cmake")
    endif()
  endforeach()
  set(_trim_text "${_vdbe_head}${_vdbe_switch}${_vdbe_tail}")
  unset(_vdbe_head)
  unset(_vdbe_switch)
  unset(_vdbe_tail)
  _sqlite_trim("VM: an opcode left out ends the statement" [=[
default: {          /* This is really OP_Noop, OP_Explain */
  assert( pOp->opcode==OP_Noop || pOp->opcode==OP_Explain );
]=] [=[
default: {          /* This is really OP_Noop, OP_Explain */
#ifdef LEAD_OUTBOX_OMIT_VDBE_OPS /* lead-outbox trim: or an opcode whose case is left out */
  if( pOp->opcode!=OP_Noop && pOp->opcode!=OP_Explain ){
    sqlite3VdbeError(p, "opcode %d is not supported", pOp->opcode);
    rc = SQLITE_INTERNAL;
    goto abort_due_to_error;
  }
#endif
  assert( pOp->opcode==OP_Noop || pOp->opcode==OP_Explain );
]=])

  string(RANDOM LENGTH 8 _trim_tmp)
  set(_trim_tmp "${_trim_out}.${_trim_tmp}.tmp")
  file(WRITE "${_trim_tmp}" "/* Generated by cmake/SqliteTrim.cmake from the verified sqlite3.c ${SQLITE_VERSION}; do not edit. */\n${_trim_text}")
  file(RENAME "${_trim_tmp}" "${_trim_out}")
  file(WRITE "${_trim_out}.stamp" "${_trim_stamp}")
  message(STATUS "SQLite: wrote ${_trim_out}")
  unset(_trim_text)
endif()
