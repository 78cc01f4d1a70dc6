export {
  iterableStoreContract,
  type StoreContractOptions,
  storeContract,
  type TestRunner,
} from "./testing/store-contract";
