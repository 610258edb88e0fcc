/* SQLite as lead-outbox compiles it: the amalgamation, then stubs for the statements whose code the build leaves out. */
/*
** The amalgamation's parser keeps every grammar rule whatever SQLITE_OMIT_* says, so for
** an omitted statement it still calls the function that would have compiled it. Each stub
** here stands in for one such function. CONTRACT, for every stub:
**   - it first asks the authorizer with the action the real function would report, so a
**     connection that may only read (Database::prepareReadOnly) still gets SQLITE_AUTH;
**   - it then leaves "<statement> is not supported" in pParse, so sqlite3_prepare fails
**     with SQLITE_ERROR and nothing runs;
**   - it frees what the parser handed it, as the real function does (LeakSanitizer).
** A stub is compiled only while its SQLITE_OMIT_* is set (cmake/SqliteSource.cmake), so
** taking the define out brings the real function back.
*/
#include "sqlite3.c"

#ifdef SQLITE_OMIT_ANALYZE
SQLITE_PRIVATE void sqlite3Analyze(Parse *pParse, Token *pName1, Token *pName2){
  (void)pName1; (void)pName2;
  if( sqlite3AuthCheck(pParse, SQLITE_ANALYZE, 0, 0, 0) ) return;
  sqlite3ErrorMsg(pParse, "ANALYZE is not supported");
}
#endif

#ifdef SQLITE_OMIT_REINDEX
SQLITE_PRIVATE void sqlite3Reindex(Parse *pParse, Token *pName1, Token *pName2){
  (void)pName1; (void)pName2;
  if( sqlite3AuthCheck(pParse, SQLITE_REINDEX, 0, 0, 0) ) return;
  sqlite3ErrorMsg(pParse, "REINDEX is not supported");
}
#endif
