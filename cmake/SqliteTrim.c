/* SQLite as lead-outbox compiles it: the amalgamation, then stubs for the statements whose code the build leaves out. */
/*
** The amalgamation's parser keeps every grammar rule whatever SQLITE_OMIT_* says, so for
** an omitted statement it still calls the function that would have compiled it. Each stub
** here stands in for one such function. CONTRACT, for every stub a statement can reach:
**   - it first asks the authorizer with the action the real function would report, so a
**     connection that may only read (Database::prepareReadOnly) still gets SQLITE_AUTH;
**   - it then leaves "<statement> is not supported" in pParse, so sqlite3_prepare fails
**     with SQLITE_ERROR and nothing runs;
**   - it frees what the parser handed it, as the real function does (LeakSanitizer).
** A stub is compiled only while its SQLITE_OMIT_* or LEAD_OUTBOX_OMIT_* is set
** (cmake/SqliteSource.cmake), so taking the define out brings the real function back.
*/
#include "sqlite3-trimmed.c" /* the amalgamation, as cmake/SqliteTrim.cmake wrote it */

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

#ifdef LEAD_OUTBOX_OMIT_ALTER_RENAME
/* ALTER TABLE other than ADD COLUMN (cmake/SqliteTrim.cmake fenced these off). Looks the
** table up and asks the authorizer as the real functions do, then refuses. Frees pSrc. */
static void alterNotSupported(Parse *pParse, SrcList *pSrc, const char *zForm){
  sqlite3 *db = pParse->db;
  Table *pTab = sqlite3LocateTableItem(pParse, 0, &pSrc->a[0]);
  if( pTab ){
    const char *zDb = db->aDb[sqlite3SchemaToIndex(db, pTab->pSchema)].zDbSName;
    if( sqlite3AuthCheck(pParse, SQLITE_ALTER_TABLE, zDb, pTab->zName, 0)==SQLITE_OK ){
      sqlite3ErrorMsg(pParse, "ALTER TABLE ... %s is not supported", zForm);
    }
  }
  sqlite3SrcListDelete(db, pSrc);
}
SQLITE_PRIVATE void sqlite3AlterRenameTable(Parse *pParse, SrcList *pSrc, Token *pName){
  (void)pName;
  alterNotSupported(pParse, pSrc, "RENAME TO");
}
SQLITE_PRIVATE void sqlite3AlterRenameColumn(Parse *pParse, SrcList *pSrc, Token *pOld, Token *pNew){
  (void)pOld; (void)pNew;
  alterNotSupported(pParse, pSrc, "RENAME COLUMN");
}
SQLITE_PRIVATE void sqlite3AlterDropColumn(Parse *pParse, SrcList *pSrc, const Token *pName){
  (void)pName;
  alterNotSupported(pParse, pSrc, "DROP COLUMN");
}
SQLITE_PRIVATE void sqlite3AlterDropConstraint(Parse *pParse, SrcList *pSrc, Token *pCons, Token *pCol){
  (void)pCons;
  alterNotSupported(pParse, pSrc, pCol ? "DROP NOT NULL" : "DROP CONSTRAINT");
}
SQLITE_PRIVATE void sqlite3AlterSetNotNull(Parse *pParse, SrcList *pSrc, Token *pCol, Token *pCons){
  (void)pCol; (void)pCons;
  alterNotSupported(pParse, pSrc, "SET NOT NULL");
}
SQLITE_PRIVATE void sqlite3AlterAddConstraint(Parse *pParse, SrcList *pSrc, Token *pCons, Token *pName,
                                              const char *zCheck, int nCheck){
  (void)pCons; (void)pName; (void)zCheck; (void)nCheck;
  alterNotSupported(pParse, pSrc, "ADD CONSTRAINT");
}
/* The SQL functions only those statements called (sqlite_rename_*, sqlite_drop_*, ...). */
SQLITE_PRIVATE void sqlite3AlterFunctions(void){}
#endif

#ifdef SQLITE_OMIT_WINDOWFUNC
/* Never called: the tokenizer hands WINDOW, OVER and FILTER to the parser as plain names
** (cmake/SqliteTrim.cmake), so no window rule is reduced. Safe all the same. */
SQLITE_PRIVATE void sqlite3WindowListDelete(sqlite3 *db, Window *p){
  while( p ){
    Window *pNext = p->pNextWin;
    sqlite3ExprDelete(db, p->pFilter);
    sqlite3ExprListDelete(db, p->pPartition);
    sqlite3ExprListDelete(db, p->pOrderBy);
    sqlite3ExprDelete(db, p->pEnd);
    sqlite3ExprDelete(db, p->pStart);
    sqlite3DbFree(db, p->zName);
    sqlite3DbFree(db, p->zBase);
    sqlite3DbFree(db, p);
    p = pNext;
  }
}
SQLITE_PRIVATE Window *sqlite3WindowAlloc(Parse *pParse, int eType, int eStart, Expr *pStart,
                                          int eEnd, Expr *pEnd, u8 eExclude){
  (void)eType; (void)eStart; (void)eEnd; (void)eExclude;
  sqlite3ErrorMsg(pParse, "window functions are not supported");
  sqlite3ExprDelete(pParse->db, pStart);
  sqlite3ExprDelete(pParse->db, pEnd);
  return 0;
}
SQLITE_PRIVATE Window *sqlite3WindowAssemble(Parse *pParse, Window *pWin, ExprList *pPartition,
                                             ExprList *pOrderBy, Token *pBase){
  (void)pBase;
  sqlite3ErrorMsg(pParse, "window functions are not supported");
  sqlite3WindowListDelete(pParse->db, pWin);
  sqlite3ExprListDelete(pParse->db, pPartition);
  sqlite3ExprListDelete(pParse->db, pOrderBy);
  return 0;
}
SQLITE_PRIVATE void sqlite3WindowChain(Parse *pParse, Window *pWin, Window *pList){
  (void)pParse; (void)pWin; (void)pList;
}
#endif

#ifdef SQLITE_OMIT_VIRTUALTABLE
/* CREATE VIRTUAL TABLE. The parser may go on to call sqlite3VtabFinishParse (and the
** argument functions) after the error, in the same step: they do nothing. */
SQLITE_PRIVATE void sqlite3VtabBeginParse(Parse *pParse, Token *pName1, Token *pName2,
                                          Token *pModuleName, int ifNotExists){
  (void)pName1; (void)pName2; (void)pModuleName; (void)ifNotExists;
  if( sqlite3AuthCheck(pParse, SQLITE_CREATE_VTABLE, 0, 0, 0) ) return;
  sqlite3ErrorMsg(pParse, "CREATE VIRTUAL TABLE is not supported");
}
SQLITE_PRIVATE void sqlite3VtabFinishParse(Parse *pParse, Token *pEnd){
  (void)pParse; (void)pEnd;
}
SQLITE_PRIVATE void sqlite3VtabArgInit(Parse *pParse){
  (void)pParse;
}
SQLITE_PRIVATE void sqlite3VtabArgExtend(Parse *pParse, Token *p){
  (void)pParse; (void)p;
}
#endif

#ifdef SQLITE_OMIT_VIEW
/* CREATE VIEW (the visitor's SQLite only). DROP VIEW stays: it finds no view. Opening a
** schema with a view fails the same way (the core refuses one as damage anyway). */
SQLITE_PRIVATE void sqlite3CreateView(Parse *pParse, Token *pBegin, Token *pName1, Token *pName2,
                                      ExprList *pCNames, Select *pSelect, int isTemp, int noErr){
  sqlite3 *db = pParse->db;
  (void)pBegin; (void)pName1; (void)pName2; (void)noErr;
  sqlite3AuthCheck(pParse, isTemp ? SQLITE_CREATE_TEMP_VIEW : SQLITE_CREATE_VIEW, 0, 0, 0);
  if( pParse->nErr==0 ) sqlite3ErrorMsg(pParse, "CREATE VIEW is not supported");
  sqlite3ExprListDelete(db, pCNames);
  sqlite3SelectDelete(db, pSelect);
}
#endif

#ifdef SQLITE_OMIT_CTE
/* WITH (the visitor's SQLite only): each common table expression refuses, so no With
** object is ever made and sqlite3WithAdd only ever passes on what it was given (0). */
SQLITE_PRIVATE Cte *sqlite3CteNew(Parse *pParse, Token *pName, ExprList *pArglist, Select *pQuery, u8 eM10d){
  (void)pName; (void)eM10d;
  if( pParse->nErr==0 ) sqlite3ErrorMsg(pParse, "WITH is not supported");
  sqlite3ExprListDelete(pParse->db, pArglist);
  sqlite3SelectDelete(pParse->db, pQuery);
  return 0;
}
SQLITE_PRIVATE With *sqlite3WithAdd(Parse *pParse, With *pWith, Cte *pCte){
  (void)pParse; (void)pCte;
  return pWith;
}
#endif

#ifdef SQLITE_OMIT_VACUUM
/* VACUUM and VACUUM INTO (the visitor's SQLite only: the core never vacuums; the full
** build keeps it for the VFS tests). Like the real function, asks the authorizer nothing. */
SQLITE_PRIVATE void sqlite3Vacuum(Parse *pParse, Token *pNm, Expr *pInto){
  (void)pNm;
  sqlite3ErrorMsg(pParse, "VACUUM is not supported");
  sqlite3ExprDelete(pParse->db, pInto);
}
#endif

#ifdef SQLITE_OMIT_TRIGGER
/* Triggers (the visitor's SQLite only). CREATE TRIGGER always leaves an error, so the parser
** stops before any trigger step; the step functions are safe all the same (they free what
** they are given and refuse). Opening a schema with a trigger fails the same way. */
static void triggerNotSupported(Parse *pParse, const char *zWhat){
  if( pParse->nErr==0 ) sqlite3ErrorMsg(pParse, "%s is not supported", zWhat);
}
SQLITE_PRIVATE void sqlite3DeleteTriggerStep(sqlite3 *db, TriggerStep *pStep){
  while( pStep ){
    TriggerStep *pNext = pStep->pNext;
    sqlite3ExprDelete(db, pStep->pWhere);
    sqlite3ExprListDelete(db, pStep->pExprList);
    sqlite3SelectDelete(db, pStep->pSelect);
    sqlite3IdListDelete(db, pStep->pIdList);
    sqlite3UpsertDelete(db, pStep->pUpsert);
    sqlite3SrcListDelete(db, pStep->pSrc);
    sqlite3DbFree(db, pStep->zSpan);
    sqlite3DbFree(db, pStep);
    pStep = pNext;
  }
}
SQLITE_PRIVATE void sqlite3BeginTrigger(Parse *pParse, Token *pName1, Token *pName2, int tr_tm, int op,
                                        IdList *pColumns, SrcList *pTableName, Expr *pWhen,
                                        int isTemp, int noErr){
  sqlite3 *db = pParse->db;
  (void)pName1; (void)pName2; (void)tr_tm; (void)op; (void)noErr;
  sqlite3AuthCheck(pParse, isTemp ? SQLITE_CREATE_TEMP_TRIGGER : SQLITE_CREATE_TRIGGER, 0, 0, 0);
  triggerNotSupported(pParse, "CREATE TRIGGER"); /* even when the authorizer said IGNORE */
  sqlite3IdListDelete(db, pColumns);
  sqlite3SrcListDelete(db, pTableName);
  sqlite3ExprDelete(db, pWhen);
}
SQLITE_PRIVATE void sqlite3FinishTrigger(Parse *pParse, TriggerStep *pStepList, Token *pAll){
  (void)pAll;
  triggerNotSupported(pParse, "CREATE TRIGGER");
  sqlite3DeleteTriggerStep(pParse->db, pStepList);
}
SQLITE_PRIVATE void sqlite3DropTrigger(Parse *pParse, SrcList *pName, int noErr){
  (void)noErr;
  sqlite3AuthCheck(pParse, SQLITE_DROP_TRIGGER, 0, 0, 0);
  triggerNotSupported(pParse, "DROP TRIGGER");
  sqlite3SrcListDelete(pParse->db, pName);
}
SQLITE_PRIVATE TriggerStep *sqlite3TriggerSelectStep(sqlite3 *db, Select *pSelect, const char *zStart,
                                                     const char *zEnd){
  (void)zStart; (void)zEnd;
  sqlite3SelectDelete(db, pSelect);
  return 0;
}
SQLITE_PRIVATE TriggerStep *sqlite3TriggerInsertStep(Parse *pParse, SrcList *pTabList, IdList *pColumn,
                                                     Select *pSelect, u8 orconf, Upsert *pUpsert,
                                                     const char *zStart, const char *zEnd){
  (void)orconf; (void)zStart; (void)zEnd;
  triggerNotSupported(pParse, "CREATE TRIGGER");
  sqlite3SrcListDelete(pParse->db, pTabList);
  sqlite3IdListDelete(pParse->db, pColumn);
  sqlite3SelectDelete(pParse->db, pSelect);
  sqlite3UpsertDelete(pParse->db, pUpsert);
  return 0;
}
SQLITE_PRIVATE TriggerStep *sqlite3TriggerUpdateStep(Parse *pParse, SrcList *pTabList, SrcList *pFrom,
                                                     ExprList *pEList, Expr *pWhere, u8 orconf,
                                                     const char *zStart, const char *zEnd){
  (void)orconf; (void)zStart; (void)zEnd;
  triggerNotSupported(pParse, "CREATE TRIGGER");
  sqlite3SrcListDelete(pParse->db, pTabList);
  sqlite3SrcListDelete(pParse->db, pFrom);
  sqlite3ExprListDelete(pParse->db, pEList);
  sqlite3ExprDelete(pParse->db, pWhere);
  return 0;
}
SQLITE_PRIVATE TriggerStep *sqlite3TriggerDeleteStep(Parse *pParse, SrcList *pTabList, Expr *pWhere,
                                                     const char *zStart, const char *zEnd){
  (void)zStart; (void)zEnd;
  triggerNotSupported(pParse, "CREATE TRIGGER");
  sqlite3SrcListDelete(pParse->db, pTabList);
  sqlite3ExprDelete(pParse->db, pWhere);
  return 0;
}
#endif

#ifdef SQLITE_OMIT_AUTHORIZATION
/* The authorizer (the visitor's SQLite only: nothing there prepares user SQL). Fails safe:
** while a caller believes an authorizer guards the connection, every sqlite3_prepare on it
** fails with SQLITE_AUTH (cmake/SqliteTrim.cmake), so nothing runs unchecked. One connection
** at a time can be marked: the build is single-threaded and prepareReadOnly unsets it. */
SQLITE_API int sqlite3_set_authorizer(sqlite3 *db,
                                      int (*xAuth)(void*,int,const char*,const char*,const char*,const char*),
                                      void *pArg){
  (void)pArg;
  if( xAuth ){
    leadOutboxAuthorizerDb = db;
  }else if( leadOutboxAuthorizerDb==db ){
    leadOutboxAuthorizerDb = 0;
  }
  return SQLITE_OK;
}
#endif

#ifdef LEAD_OUTBOX_SMALL_PRNG
/* sqlite3_randomness without ChaCha20 (cmake/SqliteTrim.cmake fenced it off and says what
** draws from it): splitmix64, seeded once from the default VFS's xRandomness as SQLite seeds
** its own; sqlite3_randomness(0, 0) reseeds on the next call, as before. No mutex: the build
** is single-threaded (SQLITE_THREADSAFE=0). */
static u64 leadOutboxPrngState;
static int leadOutboxPrngSeeded;
SQLITE_API void sqlite3_randomness(int N, void *pBuf){
  unsigned char *zBuf = pBuf;
#ifndef SQLITE_OMIT_AUTOINIT
  if( sqlite3_initialize() ) return;
#endif
  if( N<=0 || pBuf==0 ){
    leadOutboxPrngSeeded = 0;
    return;
  }
  if( !leadOutboxPrngSeeded ){
    sqlite3_vfs *pVfs = sqlite3_vfs_find(0);
    leadOutboxPrngState = 0;
    if( pVfs ) sqlite3OsRandomness(pVfs, sizeof(leadOutboxPrngState), (char*)&leadOutboxPrngState);
    leadOutboxPrngSeeded = 1;
  }
  while( N>0 ){
    u64 z = (leadOutboxPrngState += 0x9e3779b97f4a7c15ULL);
    int i;
    z = (z ^ (z>>30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z>>27)) * 0x94d049bb133111ebULL;
    z ^= z>>31;
    for(i=0; i<8 && N>0; i++, N--) *zBuf++ = (unsigned char)(z>>(8*i));
  }
}
#endif
